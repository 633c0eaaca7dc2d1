// What one lease call asks for: first the needs of the requests waiting for it (one ask per lease, however many
// wait), then whatever the background finds due: renewals, refills, idle returns, new periods. At most maxLeaseItems
// leases per call; what does not fit is due again at the next call.
import { type BudgetPeriod, chargedNano, type LeaseAsk, maxLeaseItems } from '@gw/schema';
import { maxNano } from './estimate.ts';
import type { Lease } from './lease.ts';
import type { LeaseBook } from './lease-book.ts';
import type { Waiter } from './lease-calls.ts';

export interface AskClock {
  /** Monotonic and wall-clock ms now. */
  readonly now: number;
  readonly wallNow: number;
  /** A lease older than this is not used. */
  readonly maxAgeMs: number;
  /** A lease in use is renewed after this long (a third of the ttl). */
  readonly renewAfterMs: number;
  /** A lease unused this long gives its balance back. */
  readonly idleMs: number;
  /** The control plane said lately that it no longer has this budget. */
  readonly isGone: (limitId: string, period: BudgetPeriod) => boolean;
}

/** An ask that only renews (and reports what was given back) a lease. */
export function askOf(lease: Lease): LeaseAsk {
  return {
    limitId: lease.limitId,
    period: lease.period,
    periodStart: lease.periodStart,
    want: 0,
    need: 0,
    returned: lease.returned,
  };
}

/**
 * The asks of the next call, by lease. Changes the book as the background decides: leases never answered and
 * waited for by no one, and those of an ended period no longer in use, are dropped; an idle lease's balance is
 * marked returned (cumulative: once asked with it, it is never used again). A waiter that might not fit is marked
 * `deferred`.
 */
export function dueAsks(book: LeaseBook, round: Waiter[] | null, c: AskClock): Map<Lease, LeaseAsk> {
  const { now, wallNow } = c;
  const asks = new Map<Lease, LeaseAsk>();
  const ask = (lease: Lease) => {
    let a = asks.get(lease);
    if (a === undefined) {
      a = askOf(lease);
      asks.set(lease, a);
      lease.askedAt = now;
    }
    return a;
  };
  if (round !== null) {
    /**
     * Per lease, what the waiters that already went through a call (a grant spread thin) still need together: the
     * control plane grants at least `need` while the budget has it, so they ask for all of it at once.
     */
    let again: Map<Lease, number> | null = null;
    for (const w of round) {
      if (w.done) continue;
      if (asks.size + w.limits.length * 4 > maxLeaseItems) {
        w.deferred = true;
        continue;
      }
      for (const entry of w.limits) {
        for (const period of entry.periods) {
          if (book.get(entry.id, period) === null && c.isGone(entry.id, period)) continue;
          const lease = book.ensure(entry.id, period);
          lease.scopeKey = entry.scopeKey;
          const charged = chargedNano(w.raw, lease.costFactorPpm);
          if (lease.usable(now, wallNow, c.maxAgeMs) && lease.balance >= charged && !asks.has(lease)) continue;
          const a = ask(lease);
          a.need = Math.min(maxNano, Math.max(a.need, charged));
          a.want += charged;
          if (w.rounds > 0) {
            again ??= new Map();
            again.set(lease, (again.get(lease) ?? 0) + charged);
          }
        }
      }
    }
    if (again !== null) {
      for (const [lease, sum] of again) {
        const a = asks.get(lease) as LeaseAsk;
        a.need = Math.min(maxNano, Math.max(a.need, sum - Math.max(0, lease.balance)));
      }
    }
    for (const [lease, a] of asks) {
      // Enough for the waiters, and a refill beyond them.
      const target = lease.refillTarget(now, a.need);
      a.want = Math.min(maxNano, Math.max(0, a.want + target - Math.max(0, lease.balance)));
    }
  }
  for (const lease of book) {
    if (asks.size >= maxLeaseItems) break;
    if (asks.has(lease)) continue;
    if (lease.periodStart === null) {
      // Asked for by a request, never answered, and nobody waits for it now.
      if (lease.heldRaw === 0) book.drop(lease.limitId, lease.period);
      continue;
    }
    const active = now - lease.lastUsedAt < c.idleMs;
    if (wallNow >= lease.resetsAtMs) {
      // Its period is over: ask for the new one while it is in use, otherwise forget it.
      if (active) ask(lease).want = Math.min(maxNano, lease.refillTarget(now));
      else if (lease.heldRaw === 0) book.drop(lease.limitId, lease.period);
      continue;
    }
    if (!active) {
      if (!lease.idle) {
        lease.idle = true;
        const balance = lease.balance;
        if (balance > 0) {
          lease.returned += balance;
          ask(lease);
          continue;
        }
      }
      // Still renewed while requests admitted on it run, so that the control plane does not reclaim it.
      if (lease.heldRaw > 0 && now - lease.renewedAt >= c.renewAfterMs) ask(lease);
      continue;
    }
    const target = lease.refillTarget(now);
    lease.refillMark = target / 2;
    const balance = lease.balance;
    if (balance < lease.refillMark) ask(lease).want = Math.min(maxNano, target - balance);
    else if (now - lease.renewedAt >= c.renewAfterMs) ask(lease);
  }
  return asks;
}
