// Writing one scope's limits inside the caller's transaction (setLimits, and the create mutations that take
// `limits`): the scope must be a live thing of that org, and an org admin's budgets stay within the org's own.
import type { BudgetPeriod, LimitScope } from '@gw/schema';
import type { Em } from '../../db/orm.ts';
import { badInput, notFound } from '../../errors.ts';
import { isUuid } from '../../graphql/validate.ts';
import type { LimitValues } from './limit-values.ts';
import { nanoToUsd } from './money.ts';

export interface ScopeRef {
  orgId: string;
  scope: LimitScope;
  scopeId: string;
}

/** The live thing of `scope` named `scopeId` in the org (for MODULE: a catalogue module enabled for it). */
const existsSql: Record<Exclude<LimitScope, 'org'>, string> = {
  team: 'select 1 from teams where id = ? and org_id = ? and deleted_at is null',
  user: 'select 1 from users where id = ? and org_id = ? and deleted_at is null',
  key: 'select 1 from virtual_keys where id = ? and org_id = ? and revoked_at is null',
  module: `select 1 from org_modules om join product_modules m on m.id = om.module_id and m.deleted_at is null
            where om.module_id = ? and om.org_id = ?`,
};

const scopeNoun: Record<LimitScope, string> = {
  org: 'organization',
  team: 'team',
  user: 'user',
  key: 'virtual key',
  module: 'module enabled for this organization',
};

/** NOT_FOUND (blaming `field`) unless the scope exists in the org; another org's things read as missing. */
export async function requireScope(em: Em, ref: ScopeRef, field = 'scopeId'): Promise<void> {
  if (ref.scope === 'org') {
    if (ref.scopeId !== ref.orgId) throw badInput(field, 'For ORG scope, scopeId must be the orgId');
    return;
  }
  const found = isUuid(ref.scopeId) ? await em.execute(existsSql[ref.scope], [ref.scopeId, ref.orgId]) : [];
  if (!found.length) throw notFound(field, `No ${scopeNoun[ref.scope]} ${ref.scopeId} in this organization`);
}

/**
 * Each budget of a scope below the org may not exceed the org-scope budget of the same period (when there is one);
 * `field` is the LimitsInput's path.
 */
export async function requireWithinOrgBudgets(em: Em, ref: ScopeRef, values: LimitValues, field: string) {
  if (ref.scope === 'org' || !Object.keys(values.budgets).length) return;
  const [org] = await em.execute<Record<BudgetPeriod, string | null>[]>(
    `select (budget_daily * 1000000000)::bigint::text as daily, (budget_weekly * 1000000000)::bigint::text as weekly,
            (budget_monthly * 1000000000)::bigint::text as monthly, (budget_total * 1000000000)::bigint::text as total
       from scope_limits where org_id = ? and scope_kind = 'org'`,
    [ref.orgId],
  );
  if (!org) return;
  for (const [period, nano] of Object.entries(values.budgets) as [BudgetPeriod, bigint][]) {
    const cap = org[period];
    if (cap !== null && nano > BigInt(cap)) {
      throw badInput(
        `${field}.budgets.${period}`,
        `The ${period} budget may not exceed the organization's ${period} budget of ${nanoToUsd(BigInt(cap))} USD`,
      );
    }
  }
}

const usd = (nano: bigint | undefined) => (nano === undefined ? null : nanoToUsd(nano));

/** Inserts or replaces the scope's limits; answers the row's id. */
export async function writeLimits(em: Em, ref: ScopeRef, v: LimitValues): Promise<string> {
  const [row] = await em.execute<{ id: string }[]>(
    `insert into scope_limits (id, org_id, scope_kind, scope_id, budget_daily, budget_weekly, budget_monthly,
                               budget_total, rpm, tpm, alert_thresholds)
     values (gen_random_uuid(), ?, ?, ?, ?::numeric, ?::numeric, ?::numeric, ?::numeric, ?, ?, ?::int[])
     on conflict (org_id, scope_kind, scope_id) do update set
       budget_daily = excluded.budget_daily, budget_weekly = excluded.budget_weekly,
       budget_monthly = excluded.budget_monthly, budget_total = excluded.budget_total, rpm = excluded.rpm,
       tpm = excluded.tpm, alert_thresholds = excluded.alert_thresholds, updated_at = now()
     returning id`,
    [
      ref.orgId,
      ref.scope,
      ref.scopeId,
      usd(v.budgets.daily),
      usd(v.budgets.weekly),
      usd(v.budgets.monthly),
      usd(v.budgets.total),
      v.rpm,
      v.tpm,
      `{${v.alertThresholds.join(',')}}`,
    ],
  );
  return row.id;
}

/**
 * The limits given with a create mutation, written in its transaction once the new thing exists: `capped` for
 * callers other than platform admins (an org admin's budgets stay within the org's).
 */
export async function writeCreatedLimits(
  em: Em,
  ref: ScopeRef,
  values: LimitValues,
  opts: { capped: boolean; field: string },
): Promise<void> {
  if (opts.capped) await requireWithinOrgBudgets(em, ref, values, opts.field);
  await writeLimits(em, ref, values);
}
