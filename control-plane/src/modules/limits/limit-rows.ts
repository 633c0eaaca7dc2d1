// The stored limits of scopes, read with their scope's name and their org's time zone (one SQL definition).
import type { BudgetPeriod, LimitScope } from '@gw/schema';
import type { Em } from '../../db/orm.ts';
import type { LimitValues } from './limit-values.ts';

export interface LimitRow {
  id: string;
  org_id: string;
  scope_kind: LimitScope;
  scope_id: string;
  /** Nano-dollars as text, null when the period has no budget. */
  daily: string | null;
  weekly: string | null;
  monthly: string | null;
  total: string | null;
  rpm: number | null;
  tpm: number | null;
  alert_thresholds: number[];
  updated_at: Date;
  time_zone: string;
  scope_name: string;
}

/** Selects LimitRows of `scope_limits l` (live orgs only); append `where …` conditions on `l`. */
export const limitRowsSql = `
  select l.id, l.org_id, l.scope_kind, l.scope_id,
         (l.budget_daily * 1000000000)::bigint::text as daily, (l.budget_weekly * 1000000000)::bigint::text as weekly,
         (l.budget_monthly * 1000000000)::bigint::text as monthly, (l.budget_total * 1000000000)::bigint::text as total,
         l.rpm, l.tpm, l.alert_thresholds, l.updated_at, o.time_zone,
         coalesce(case l.scope_kind when 'org' then o.name when 'team' then t.name when 'user' then u.email
                                    when 'key' then k.name when 'module' then m.name end, l.scope_id) as scope_name
    from scope_limits l
    join organizations o on o.id = l.org_id and o.deleted_at is null
    left join teams t on t.id = case when l.scope_kind = 'team' then l.scope_id::uuid end
    left join users u on u.id = case when l.scope_kind = 'user' then l.scope_id::uuid end
    left join virtual_keys k on k.id = case when l.scope_kind = 'key' then l.scope_id::uuid end
    left join product_modules m on m.id = case when l.scope_kind = 'module' then l.scope_id::uuid end`;

export const limitRowsOrder = `order by array_position(array['org', 'team', 'user', 'key', 'module'], l.scope_kind),
  scope_name, l.id`;

export async function loadLimitRows(em: Em, where: string, params: unknown[]): Promise<LimitRow[]> {
  return em.execute<LimitRow[]>(`${limitRowsSql} where ${where} ${limitRowsOrder}`, params);
}

/** The budgets a row has, in period order, in nano-dollars. */
export function budgetsOf(row: Pick<LimitRow, BudgetPeriod>): [BudgetPeriod, bigint][] {
  const out: [BudgetPeriod, bigint][] = [];
  for (const period of ['daily', 'weekly', 'monthly', 'total'] as const) {
    const v = row[period];
    if (v !== null) out.push([period, BigInt(v)]);
  }
  return out;
}

export function valuesOf(row: LimitRow): LimitValues {
  return {
    budgets: Object.fromEntries(budgetsOf(row)),
    rpm: row.rpm,
    tpm: row.tpm,
    alertThresholds: row.alert_thresholds,
  };
}
