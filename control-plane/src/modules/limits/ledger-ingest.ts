// Ingested usage counts against budgets: each stored record's charged cost is added to the ledger row of every
// budget it falls under, in the period holding its ts, on the row of the data-plane boot that served it. One query
// loads the budgets a batch touches, one statement adds every increment (aggregated here).
import { type BudgetPeriod, chargedNano, maxBudgetUsd, nanoPerUsd, type UsageRecord } from '@gw/schema';
import { CompiledQuery } from 'kysely';
import type { Em } from '../../db/orm.ts';
import { isUuid } from '../../graphql/validate.ts';
import { budgetsOf } from './limit-rows.ts';
import { costFactorPpm } from './money.ts';
import { PeriodCache } from './periods.ts';

interface BudgetRow {
  id: string;
  org_id: string;
  scope_kind: 'org' | 'team' | 'user' | 'key' | 'module';
  scope_id: string;
  daily: string | null;
  weekly: string | null;
  monthly: string | null;
  total: string | null;
  time_zone: string;
  markup: string;
  basis: 'provider_cost' | 'billed_cost';
}

/** One scope's budgets as ingestion applies them: its periods and its cost factor, worked out once per batch. */
interface ScopeBudgets {
  id: string;
  timeZone: string;
  periods: BudgetPeriod[];
  factorPpm: number;
}

/** The budgets of the scopes a batch's records belong to, ready to be matched against each record. */
export interface BatchBudgets {
  /** `orgId kind scopeId` -> the budgets set there. */
  byScope: Map<string, ScopeBudgets>;
}

const scopeKey = (orgId: string, kind: string, scopeId: string) => `${orgId} ${kind} ${scopeId}`;

/** Amounts beyond any budget saturate here, so that no sum can overflow the ledger's bigint. */
const saturation = maxBudgetUsd * nanoPerUsd;

/** One query: every budget set on an org, team, user, key or module (of its org) that a record names. */
export async function batchBudgets(em: Em, records: readonly UsageRecord[]): Promise<BatchBudgets | null> {
  const orgs = new Set<string>();
  const scopes = new Set<string>();
  for (const r of records) {
    if (!isUuid(r.orgId)) continue;
    orgs.add(r.orgId);
    if (r.teamId) scopes.add(r.teamId);
    if (r.userId) scopes.add(r.userId);
    scopes.add(r.keyId);
    if (r.moduleId) scopes.add(r.moduleId);
  }
  if (!orgs.size) return null;
  const { rows } = await bound<BudgetRow>(
    em,
    `select l.id, l.org_id::text, l.scope_kind, l.scope_id,
            (l.budget_daily * 1000000000)::bigint::text as daily, (l.budget_weekly * 1000000000)::bigint::text as weekly,
            (l.budget_monthly * 1000000000)::bigint::text as monthly, (l.budget_total * 1000000000)::bigint::text as total,
            o.time_zone, coalesce(bo.markup_percent, bd.markup_percent)::text as markup, coalesce(bd.budget_basis, 'provider_cost') as basis
       from scope_limits l
       join organizations o on o.id = l.org_id
       join billing_settings bd on bd.org_id is null
       left join billing_settings bo on bo.org_id = l.org_id
      where l.org_id = any($1::uuid[]) and (l.scope_kind = 'org' or l.scope_id = any($2::text[]))
        and num_nonnulls(l.budget_daily, l.budget_weekly, l.budget_monthly, l.budget_total) > 0`,
    [[...orgs], [...scopes]],
  );
  if (!rows.length) return null;
  const byScope = new Map<string, ScopeBudgets>();
  for (const r of rows) {
    byScope.set(scopeKey(r.org_id, r.scope_kind, r.scope_id), {
      id: r.id,
      timeZone: r.time_zone,
      periods: budgetsOf(r).map(([period]) => period),
      factorPpm: costFactorPpm(r.basis, r.markup),
    });
  }
  return { byScope };
}

interface Increment {
  limitId: string;
  period: string;
  periodStart: Date;
  nodeId: string;
  bootId: string;
  spent: number;
}

/** The ledger increments of the stored records, one per (budget, period, period start, node, boot). */
export function ledgerIncrements(budgets: BatchBudgets, records: Iterable<UsageRecord>): Increment[] {
  const periods = new PeriodCache();
  const out = new Map<string, Increment>();
  for (const r of records) {
    const matches = [
      budgets.byScope.get(scopeKey(r.orgId, 'org', r.orgId)),
      r.teamId ? budgets.byScope.get(scopeKey(r.orgId, 'team', r.teamId)) : undefined,
      r.userId ? budgets.byScope.get(scopeKey(r.orgId, 'user', r.userId)) : undefined,
      budgets.byScope.get(scopeKey(r.orgId, 'key', r.keyId)),
      r.moduleId ? budgets.byScope.get(scopeKey(r.orgId, 'module', r.moduleId)) : undefined,
    ];
    const nano = Math.min(Math.round(r.costUsd * nanoPerUsd), saturation);
    if (nano <= 0) continue;
    const at = new Date(r.ts);
    const bootId = r.bootId ?? '';
    for (const limit of matches) {
      if (!limit) continue;
      const charged = Math.min(chargedNano(nano, limit.factorPpm), saturation);
      if (charged <= 0) continue;
      for (const period of limit.periods) {
        const start = periods.window(period, limit.timeZone, at).start;
        const key = `${limit.id} ${period} ${start.getTime()} ${r.nodeId} ${bootId}`;
        const inc = out.get(key);
        if (inc) inc.spent = Math.min(inc.spent + charged, saturation);
        else out.set(key, { limitId: limit.id, period, periodStart: start, nodeId: r.nodeId, bootId, spent: charged });
      }
    }
  }
  return [...out.values()];
}

/** A statement with bound parameters ($1…): arrays travel as PostgreSQL arrays, never spliced into the text. */
function bound<R>(em: Em, sql: string, params: unknown[]) {
  return em.getKysely().executeQuery<R>(CompiledQuery.raw(sql, params));
}

/** One statement for every increment, in key order (as the lease call locks rows, so the two never deadlock). */
export async function addToLedger(em: Em, increments: Increment[]): Promise<void> {
  if (!increments.length) return;
  await bound(
    em,
    `insert into budget_ledger as b (limit_id, period, period_start, node_id, boot_id, spent)
     select * from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::bigint[])
      order by 1, 2, 3, 4, 5
     on conflict (limit_id, period, period_start, node_id, boot_id)
     do update set spent = least(b.spent + excluded.spent, ${saturation})`,
    [
      increments.map((i) => i.limitId),
      increments.map((i) => i.period),
      increments.map((i) => i.periodStart.toISOString()),
      increments.map((i) => i.nodeId),
      increments.map((i) => i.bootId),
      increments.map((i) => String(i.spent)),
    ],
  );
}
