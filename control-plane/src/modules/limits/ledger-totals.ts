// The ledger's totals for (budget, period, period start) keys: what every data plane recorded as spent, what live
// leases hold, what counts as consumed, and what manual resets took off. The one place the status math lives.
import type { BudgetPeriod } from '@gw/schema';
import type { Em } from '../../db/orm.ts';

export interface LedgerKey {
  limitId: string;
  period: BudgetPeriod;
  periodStart: Date;
}

export interface LedgerTotals {
  /** Σ spent of every row. */
  spent: bigint;
  /** Σ max(0, granted − returned − spent) over live rows. */
  reserved: bigint;
  /** Σ over rows of: expired ? spent : max(granted − returned, spent). */
  consumed: bigint;
  /** Σ spent_at_reset of the manual resets of the period. */
  resetOffset: bigint;
}

export const keyOf = (k: LedgerKey) => `${k.limitId}\n${k.period}\n${k.periodStart.getTime()}`;

/** A lease row is expired when not renewed since this instant (its unspent grant then goes back to the pool). */
export const expiryBefore = (now: Date, ttlMs: number, graceMs: number) => new Date(now.getTime() - ttlMs - graceMs);

/** SQL: whether ledger row `b` is expired, given the expiry instant as parameter. */
export const expiredSql = (b: string, param: string) => `(${b}.last_seen is null or ${b}.last_seen < ${param})`;

/** Totals per key (zeros for keys without rows), keyed by keyOf. */
export async function ledgerTotals(em: Em, keys: LedgerKey[], expiry: Date): Promise<Map<string, LedgerTotals>> {
  const out = new Map<string, LedgerTotals>();
  if (!keys.length) return out;
  const rows = await em.execute<
    {
      limit_id: string;
      period: BudgetPeriod;
      ps: string;
      spent: string;
      reserved: string;
      consumed: string;
      reset: string;
    }[]
  >(
    `select g.limit_id::text, g.period, (extract(epoch from g.period_start) * 1000)::bigint::text as ps,
            s.spent, s.reserved, s.consumed, r.reset
       from unnest(?::uuid[], ?::text[], ?::timestamptz[]) g(limit_id, period, period_start)
      cross join lateral (
        select coalesce(sum(b.spent), 0)::text as spent,
               coalesce(sum(case when ${expiredSql('b', '?::timestamptz')} then 0
                                 else greatest(0, b.granted - b.returned - b.spent) end), 0)::text as reserved,
               coalesce(sum(case when ${expiredSql('b', '?::timestamptz')} then b.spent
                                 else greatest(b.granted - b.returned, b.spent) end), 0)::text as consumed
          from budget_ledger b
         where b.limit_id = g.limit_id and b.period = g.period and b.period_start = g.period_start) s
      cross join lateral (
        select coalesce(sum(x.spent_at_reset), 0)::text as reset
          from budget_resets x
         where x.limit_id = g.limit_id and x.period = g.period and x.period_start = g.period_start) r`,
    [
      `{${keys.map((k) => k.limitId).join(',')}}`,
      `{${keys.map((k) => k.period).join(',')}}`,
      `{${keys.map((k) => `"${k.periodStart.toISOString()}"`).join(',')}}`,
      expiry,
      expiry,
    ],
  );
  for (const r of rows) {
    out.set(keyOf({ limitId: r.limit_id, period: r.period, periodStart: new Date(Number(r.ps)) }), {
      spent: BigInt(r.spent),
      reserved: BigInt(r.reserved),
      consumed: BigInt(r.consumed),
      resetOffset: BigInt(r.reset),
    });
  }
  return out;
}

const zero: LedgerTotals = { spent: 0n, reserved: 0n, consumed: 0n, resetOffset: 0n };
export const totalsAt = (m: Map<string, LedgerTotals>, k: LedgerKey): LedgerTotals => m.get(keyOf(k)) ?? zero;

const max = (a: bigint, b: bigint) => (a > b ? a : b);

/** Spent this period as shown (after resets), never below 0. */
export const spentOf = (t: LedgerTotals): bigint => max(0n, t.spent - t.resetOffset);

/** What is neither consumed nor held of a budget `limit`, never below 0. */
export const availableOf = (limit: bigint, t: LedgerTotals): bigint => max(0n, limit - t.consumed + t.resetOffset);
