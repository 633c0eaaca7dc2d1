// Turns the arguments of the usage queries into a checked UsageScope: the org (the operation table checked the
// caller's scope before, so a foreign org never learns more than FORBIDDEN), then the window, the grouping and the
// filter, each failure naming its argument.
import type { Em } from '../../db/orm.ts';
import { badInput, notFound } from '../../errors.ts';
import { isUuid } from '../../graphql/validate.ts';
import type { UsageFilter } from './usage.type.ts';
import type { Dimension, UsageFilterSpec, UsageScope } from './usage-query.ts';
import { dayMs, isWholeHour } from './usage-window.ts';

/** Longest window per kind of answer, in days: bounds what one query may aggregate. */
export const maxWindowDays = { hour: 31, day: 366, long: 3660 } as const;

export const maxFilterValues = 100;

const filterFields: [keyof UsageFilter, Dimension][] = [
  ['orgIds', 'org'],
  ['teamIds', 'team'],
  ['userIds', 'user'],
  ['keyIds', 'key'],
  ['moduleIds', 'module'],
  ['models', 'model'],
  ['providers', 'provider'],
];

/** The org must exist (deleted ones included: their usage is history). */
export async function requireUsageOrg(em: Em, orgId: string): Promise<void> {
  const rows = isUuid(orgId) ? await em.execute('select 1 from organizations where id = ?', [orgId]) : [];
  if (!rows.length) throw notFound('orgId', 'No organization with this id');
}

/** One org, which must exist, or null for every org (the caller's scope is checked by the operation table). */
export async function usageOrg(em: Em, orgId: string | null | undefined): Promise<string | null> {
  if (orgId === null || orgId === undefined) return null;
  await requireUsageOrg(em, orgId);
  return orgId;
}

/** A [from, to) of whole UTC hours, at most `maxDays` long. */
export function checkWindow(from: Date, to: Date, maxDays: number): void {
  if (!isWholeHour(from)) throw badInput('from', 'from must be a whole UTC hour, e.g. 2026-11-01T00:00:00Z');
  if (!isWholeHour(to)) throw badInput('to', 'to must be a whole UTC hour, e.g. 2026-12-01T00:00:00Z');
  if (to.getTime() <= from.getTime()) throw badInput('to', 'to must be after from');
  if (to.getTime() - from.getTime() > maxDays * dayMs) {
    throw badInput('to', `The window may span at most ${maxDays} days here`);
  }
}

export function checkFilter(filter: UsageFilter | null | undefined, orgId: string | null): UsageFilterSpec {
  const spec: UsageFilterSpec = {};
  if (!filter) return spec;
  for (const [field, dim] of filterFields) {
    const values = filter[field];
    if (values === null || values === undefined) continue;
    const path = `filter.${field}`;
    if (dim === 'org' && orgId !== null) {
      throw badInput(path, 'orgIds filters platform-wide queries only; this query is limited to orgId already');
    }
    if (values.length === 0) throw badInput(path, `${field} must not be empty; omit it to match every value`);
    if (values.length > maxFilterValues) throw badInput(path, `${field} may list at most ${maxFilterValues} values`);
    for (const v of values) {
      if (!v || v.length > 256) throw badInput(path, `${field} values must be 1 to 256 characters`);
    }
    spec[dim] = [...new Set(values)];
  }
  return spec;
}

export function checkGroupBy(groupBy: readonly Dimension[], orgId: string | null, field = 'groupBy'): Dimension[] {
  if (new Set(groupBy).size !== groupBy.length) throw badInput(field, `${field} must not repeat a dimension`);
  if (orgId !== null && groupBy.includes('org')) {
    throw badInput(field, 'ORG is for platform-wide queries only (orgId: null)');
  }
  return [...groupBy];
}

/** The whole check for series, top-N and totals. */
export async function usageScope(
  em: Em,
  args: { orgId?: string | null; from: Date; to: Date; filter?: UsageFilter | null },
  maxDays: number,
): Promise<UsageScope> {
  const orgId = await usageOrg(em, args.orgId);
  checkWindow(args.from, args.to, maxDays);
  return { orgId, from: args.from, to: args.to, filter: checkFilter(args.filter, orgId) };
}
