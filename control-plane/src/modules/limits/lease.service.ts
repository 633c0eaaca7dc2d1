// leaseBudgets: a data plane holds slices of budgets, granted under a lock per budget so that the grants of every
// data plane together never exceed the budget (PROTOCOL.md, "Budgets and rate limits"). One transaction per call.
import {
  type BudgetPeriod,
  type LeaseAsk,
  type LeaseGrant,
  type LeaseRequest,
  type LeaseResponse,
  leaseRequest,
} from '@gw/schema';
import type { Em } from '../../db/orm.ts';
import { inTransaction } from '../../db/transaction.ts';
import { badInput } from '../../errors.ts';
import { isUuid } from '../../graphql/validate.ts';
import {
  availableOf,
  expiredSql,
  expiryBefore,
  type LedgerKey,
  ledgerTotals,
  spentOf,
  totalsAt,
} from './ledger-totals.ts';
import { budgetsOf, type LimitRow } from './limit-rows.ts';
import type { LeaseTiming } from './limits.service.ts';
import { costFactorPpm } from './money.ts';
import { periodWindow } from './periods.ts';

/** Heartbeats older than this are dropped (only the last TTL's count; the rest is kept for nothing). */
const heartbeatKeepMs = 24 * 3_600_000;

/** Deadlocks (with concurrent ingestion touching the same ledger rows) are retried this often. */
const attempts = 3;

interface LockedLimit extends LimitRow {
  markup: string;
  basis: 'provider_cost' | 'billed_cost';
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** The grant rule: at least `need` while the budget has it, else a fair share of what is left, at most `want`. */
export function grantFor(available: bigint, ask: { want: number; need: number }, dataPlanes: number): bigint {
  if (available <= 0n) return 0n;
  const share = (available + BigInt(2 * dataPlanes) - 1n) / BigInt(2 * dataPlanes);
  return min(available, max(BigInt(ask.need), min(BigInt(ask.want), share)));
}

const pgArray = (items: readonly (string | number | bigint)[]) => `{${items.map((i) => `"${i}"`).join(',')}}`;

export class LeaseService {
  readonly #em: Em;
  readonly #timing: LeaseTiming;

  constructor(em: Em, timing: LeaseTiming) {
    this.#em = em;
    this.#timing = timing;
  }

  async lease(request: unknown): Promise<LeaseResponse> {
    const parsed = leaseRequest.safeParse(request);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = ['request', ...issue.path.map(String)].join('.');
      throw badInput(path, `Invalid lease request at ${path}: ${issue.message}`);
    }
    const req = parsed.data;
    const seen = new Set<string>();
    req.asks.forEach((a, i) => {
      const k = `${a.limitId} ${a.period}`;
      if (seen.has(k)) throw badInput(`request.asks.${i}`, `Budget ${a.limitId} ${a.period} is asked for twice`);
      seen.add(k);
    });
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.#em, (tx) => this.#lease(tx, req));
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (attempt >= attempts || (code !== '40P01' && code !== '40001')) throw err;
      }
    }
  }

  async #lease(tx: Em, req: LeaseRequest): Promise<LeaseResponse> {
    const ids = [...new Set(req.asks.map((a) => a.limitId).filter(isUuid))].sort();
    // Every budget asked about, locked in id order (so replicas never deadlock on each other).
    const limits = ids.length
      ? await tx.execute<LockedLimit[]>(
          `select l.id, l.org_id, l.scope_kind, l.scope_id,
                  (l.budget_daily * 1000000000)::bigint::text as daily,
                  (l.budget_weekly * 1000000000)::bigint::text as weekly,
                  (l.budget_monthly * 1000000000)::bigint::text as monthly,
                  (l.budget_total * 1000000000)::bigint::text as total,
                  o.time_zone, coalesce(bo.markup_percent, bd.markup_percent)::text as markup,
                  coalesce(bd.budget_basis, 'provider_cost') as basis
             from scope_limits l
             join organizations o on o.id = l.org_id and o.deleted_at is null
             join billing_settings bd on bd.org_id is null
             left join billing_settings bo on bo.org_id = l.org_id
            where l.id = any(?::uuid[])
            order by l.id
              for update of l`,
          [pgArray(ids)],
        )
      : [];
    // The time of this call, read once the locks are held: grants of one budget are ordered by it, so a lease
    // another call already counted as expired is never counted live again by an earlier clock.
    const [clock] = await tx.execute<{ now: string }[]>(`select to_json(clock_timestamp()) #>> '{}' as now`);
    const now = new Date(clock.now);
    const expiry = expiryBefore(now, this.#timing.ttlMs, this.#timing.graceMs);
    const [{ others }] = await tx.execute<{ others: string }[]>(
      `with beat as (
         insert into lease_heartbeats (node_id, boot_id, last_seen) values (?, ?, ?)
         on conflict (node_id, boot_id) do update set last_seen = greatest(lease_heartbeats.last_seen, excluded.last_seen)
       ), pruned as (delete from lease_heartbeats where last_seen < ?)
       select count(*)::text as others from lease_heartbeats
        where last_seen >= ? and not (node_id = ? and boot_id = ?)`,
      [
        req.nodeId,
        req.bootId,
        now,
        new Date(now.getTime() - heartbeatKeepMs),
        new Date(now.getTime() - this.#timing.ttlMs),
        req.nodeId,
        req.bootId,
      ],
    );
    const dataPlanes = Number(others) + 1;
    const response: LeaseResponse = { ttlMs: this.#timing.ttlMs, dataPlanes, grants: [], gone: [] };

    const byId = new Map(limits.map((l) => [l.id, l]));
    interface Item {
      ask: LeaseAsk;
      limit: LockedLimit;
      budget: bigint;
      key: LedgerKey;
      end: Date | null;
      returned: bigint;
    }
    const items: Item[] = [];
    const stale: { key: LedgerKey; returned: bigint }[] = [];
    for (const ask of req.asks) {
      const limit = byId.get(ask.limitId);
      const budget = limit && budgetsOf(limit).find(([p]) => p === ask.period)?.[1];
      if (!limit || budget === undefined) {
        response.gone.push({ limitId: ask.limitId, period: ask.period });
        continue;
      }
      const w = periodWindow(ask.period, limit.time_zone, now);
      const key = { limitId: limit.id, period: ask.period, periodStart: w.start };
      const current = ask.periodStart !== null && Date.parse(ask.periodStart) === w.start.getTime();
      // An ask about another period is a fresh ask for the current one; what it gave back is the old period's.
      if (!current && ask.periodStart !== null && ask.returned > 0) {
        stale.push({
          key: { limitId: limit.id, period: ask.period, periodStart: new Date(ask.periodStart) },
          returned: BigInt(ask.returned),
        });
      }
      items.push({ ask, limit, budget, key, end: w.end, returned: current ? BigInt(ask.returned) : 0n });
    }
    if (!items.length) return response;

    const byKey = (a: { key: LedgerKey }, b: { key: LedgerKey }) =>
      a.key.limitId.localeCompare(b.key.limitId) ||
      a.key.period.localeCompare(b.key.period) ||
      a.key.periodStart.getTime() - b.key.periodStart.getTime();
    stale.sort(byKey);
    items.sort(byKey);
    const cols = (list: { key: LedgerKey; returned: bigint }[]) => [
      pgArray(list.map((i) => i.key.limitId)),
      pgArray(list.map((i) => i.key.period)),
      pgArray(list.map((i) => i.key.periodStart.toISOString())),
      pgArray(list.map((i) => i.returned)),
    ];
    if (stale.length) {
      await tx.execute(
        `update budget_ledger b set returned = greatest(b.returned, x.returned)
           from unnest(?::uuid[], ?::text[], ?::timestamptz[], ?::bigint[]) x(limit_id, period, period_start, returned)
          where b.limit_id = x.limit_id and b.period = x.period and b.period_start = x.period_start
            and b.node_id = ? and b.boot_id = ?`,
        [...cols(stale), req.nodeId, req.bootId],
      );
    }
    // Renew (or open) this boot's rows. A row that had expired comes back holding nothing it had not spent:
    // its unspent grant was returned to the pool (and maybe granted to others) when it expired.
    await tx.execute(
      `insert into budget_ledger as b (limit_id, period, period_start, node_id, boot_id, returned, last_seen)
       select x.limit_id, x.period, x.period_start, ?, ?, x.returned, ?::timestamptz
         from unnest(?::uuid[], ?::text[], ?::timestamptz[], ?::bigint[]) x(limit_id, period, period_start, returned)
        order by 1, 2, 3
       on conflict (limit_id, period, period_start, node_id, boot_id) do update set
         granted = case when ${expiredSql('b', '?::timestamptz')}
                        then least(b.granted, greatest(b.returned, excluded.returned) + b.spent) else b.granted end,
         returned = greatest(b.returned, excluded.returned),
         last_seen = greatest(b.last_seen, excluded.last_seen)`,
      [req.nodeId, req.bootId, now, ...cols(items), expiry],
    );
    const totals = await ledgerTotals(
      tx,
      items.map((i) => i.key),
      expiry,
    );
    const own = await tx.execute<{ limit_id: string; period: BudgetPeriod; granted: string }[]>(
      `select b.limit_id::text, b.period, b.granted::text
         from budget_ledger b
         join unnest(?::uuid[], ?::text[], ?::timestamptz[]) x(limit_id, period, period_start)
           on b.limit_id = x.limit_id and b.period = x.period and b.period_start = x.period_start
        where b.node_id = ? and b.boot_id = ?`,
      [...cols(items).slice(0, 3), req.nodeId, req.bootId],
    );
    const grantedBefore = new Map(own.map((r) => [`${r.limit_id} ${r.period}`, BigInt(r.granted)]));
    const grants: (typeof items)[number][] = [];
    const amounts: bigint[] = [];
    const answers = new Map<LeaseAsk, LeaseGrant>();
    for (const item of items) {
      const t = totalsAt(totals, item.key);
      const available = availableOf(item.budget, t);
      const grant = grantFor(available, item.ask, dataPlanes);
      if (grant > 0n) {
        grants.push(item);
        amounts.push(grant);
      }
      answers.set(item.ask, {
        limitId: item.key.limitId,
        period: item.key.period,
        periodStart: item.key.periodStart.toISOString(),
        resetsAt: item.end ? item.end.toISOString() : null,
        granted: Number((grantedBefore.get(`${item.key.limitId} ${item.key.period}`) ?? 0n) + grant),
        limit: Number(item.budget),
        spent: Number(spentOf(t)),
        available: Number(available - grant),
        costFactorPpm: costFactorPpm(item.limit.basis, item.limit.markup),
      });
    }
    if (grants.length) {
      await tx.execute(
        `update budget_ledger b set granted = b.granted + x.amount
           from unnest(?::uuid[], ?::text[], ?::timestamptz[], ?::bigint[]) x(limit_id, period, period_start, amount)
          where b.limit_id = x.limit_id and b.period = x.period and b.period_start = x.period_start
            and b.node_id = ? and b.boot_id = ?`,
        [...cols(grants.map((g, i) => ({ key: g.key, returned: amounts[i] }))), req.nodeId, req.bootId],
      );
    }
    // Answers in the order of the asks.
    for (const ask of req.asks) {
      const answer = answers.get(ask);
      if (answer) response.grants.push(answer);
    }
    return response;
  }
}
