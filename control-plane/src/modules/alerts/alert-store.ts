// Raising budget alerts. Each alert is inserted at most once (unique indexes of Migration20261221000000_budget_alerts,
// INSERT ... ON CONFLICT), so replicas that ingest concurrently raise it once between them; its webhook deliveries
// and its notification are written in the same transaction. Detection runs after the usage that moved a budget has
// committed: a check inside the ingesting transaction would not see another replica's uncommitted spend, and two
// batches crossing a threshold together could each see less than the threshold. Run after commit, the last check
// sees everything; should a replica die between the two, the next batch touching that budget raises the alert.

import type { BudgetPeriod } from '@gw/schema';
import type { Em } from '../../db/orm.ts';
import { enqueueDeliveries } from '../webhooks/webhook-outbox.ts';
import { notifyAlerts } from './alert-notify.ts';
import { type AlertRow, alertColumns, alertFrom, webhookPayload } from './alert-view.ts';

/** One budget period whose spend changed. */
export interface TouchedBudget {
  limitId: string;
  period: BudgetPeriod;
  /** ISO start of the period, as the ledger holds it. */
  periodStart: string;
}

/** Requests of one org served without a budget check, by the hour they were served in. */
export interface UncheckedService {
  orgId: string;
  /** Any instant in the hour (it is truncated to the hour, UTC). */
  at: string;
  records: number;
}

/**
 * Thresholds crossed by the touched budgets: the period's spend (every data plane's, from budget_ledger, less what
 * manual resets took away, as limits/ledger-totals.ts counts it) compared with `threshold`% of the budget for each of
 * the limit's alert_thresholds. A threshold that fired before a reset does not fire again in the same period.
 */
const thresholdSql = `with touched as (
    select distinct t."limitId" as limit_id, t.period, t."periodStart" as period_start
      from jsonb_to_recordset(?::jsonb) as t("limitId" uuid, period text, "periodStart" timestamptz)
  ), totals as (
    select t.limit_id, t.period, t.period_start, greatest(0, s.spent - r.reset)::bigint as spent
      from touched t
      cross join lateral (
        select coalesce(sum(l.spent), 0) as spent from budget_ledger l
         where l.limit_id = t.limit_id and l.period = t.period and l.period_start = t.period_start) s
      cross join lateral (
        select coalesce(sum(x.spent_at_reset), 0) as reset from budget_resets x
         where x.limit_id = t.limit_id and x.period = t.period and x.period_start = t.period_start) r
  ), budgets as (
    select s.id, s.org_id, s.scope_kind, s.scope_id, s.alert_thresholds, t.period, t.period_start, t.spent,
           (case t.period when 'daily' then s.budget_daily when 'weekly' then s.budget_weekly
                          when 'monthly' then s.budget_monthly when 'total' then s.budget_total end
             * 1000000000)::bigint as budget_limit
      from totals t join scope_limits s on s.id = t.limit_id
  )
  insert into budget_alerts (org_id, kind, limit_id, scope_kind, scope_id, period, period_start, threshold, spent,
                             budget_limit)
  select b.org_id, 'threshold', b.id, b.scope_kind, b.scope_id, b.period, b.period_start, th, b.spent, b.budget_limit
    from budgets b cross join lateral unnest(b.alert_thresholds) as th
   where b.budget_limit > 0 and th > 0 and b.spent::numeric * 100 >= b.budget_limit::numeric * th
  on conflict (limit_id, period, period_start, threshold) where kind = 'threshold' do nothing
  returning id`;

/**
 * One fail-open alert per org and hour; later records of that hour add to its count without raising it again
 * (xmax = 0 tells a fresh insert from an update). Org ids that name no org are skipped.
 */
const failOpenSql = `insert into budget_alerts (org_id, kind, period_start, unchecked_records)
  select o.id, 'fail_open', g.hour, g.records
    from (select u."orgId" as org_id, date_trunc('hour', u.at, 'UTC') as hour, sum(u.records)::bigint as records
            from jsonb_to_recordset(?::jsonb) as u("orgId" text, at timestamptz, records bigint)
           group by 1, 2) g
    join organizations o on o.id::text = g.org_id
  on conflict (org_id, period_start) where kind = 'fail_open'
    do update set unchecked_records = budget_alerts.unchecked_records + excluded.unchecked_records
  returning id, (xmax = 0) as inserted`;

export class AlertStore {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** Raises the alerts of thresholds the touched budgets have crossed; returns the alerts raised now. */
  async checkThresholds(touched: readonly TouchedBudget[]): Promise<AlertRow[]> {
    if (!touched.length) return [];
    return this.#em.transactional(async (em) => {
      const rows = await em.execute<{ id: string }[]>(thresholdSql, [JSON.stringify(touched)]);
      return this.#raised(
        em,
        rows.map((r) => r.id),
      );
    });
  }

  /** Raises (or adds to) the fail-open alerts of unchecked service; returns the alerts raised now. */
  async recordUnchecked(served: readonly UncheckedService[]): Promise<AlertRow[]> {
    const counted = served.filter((s) => s.records > 0);
    if (!counted.length) return [];
    return this.#em.transactional(async (em) => {
      const rows = await em.execute<{ id: string; inserted: boolean }[]>(failOpenSql, [JSON.stringify(counted)]);
      return this.#raised(
        em,
        rows.filter((r) => r.inserted).map((r) => r.id),
      );
    });
  }

  /** Alerts by id, in no particular order (unknown ids are left out). */
  byIds(ids: readonly string[], em: Em = this.#em): Promise<AlertRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return em.execute<AlertRow[]>(
      `select ${alertColumns} from ${alertFrom} where a.id in (select jsonb_array_elements_text(?::jsonb)::uuid)`,
      [JSON.stringify(ids)],
    );
  }

  /** The new alerts' deliveries and notification, in their transaction. */
  async #raised(em: Em, ids: string[]): Promise<AlertRow[]> {
    const alerts = await this.byIds(ids, em);
    await enqueueDeliveries(
      em,
      alerts.map((a) => ({ alertId: a.id, orgId: a.org_id, payload: webhookPayload(a) })),
    );
    await notifyAlerts(
      em,
      alerts.map((a) => ({ id: a.id, orgId: a.org_id })),
    );
    return alerts;
  }
}
