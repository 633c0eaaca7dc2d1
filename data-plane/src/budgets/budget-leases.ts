// Hard budgets on the request path: a request is admitted only when every lease of its budgets holds its worst case,
// synchronously; the few that find a lease short or stale wait (bounded) for one coalesced lease call. What runs in
// the background (renewals, refills, idle returns, new periods, heartbeats) is in lease-calls.ts.
import { type BudgetPeriod, chargedNano, limitScopeKey, type SnapshotLimit } from '@gw/schema';
import type { Logger } from '../logger.ts';
import type { RequestContext } from '../pipeline/context.ts';
import { allow, type Decision, deny, type Pending } from '../policy/decision.ts';
import type { SnapshotStore, StoreHolder } from '../snapshot/store.ts';
import { exceededMessage, formatUsd } from './describe.ts';
import { defaultMaxOutputTokens, worstCaseNano } from './estimate.ts';
import type { Lease } from './lease.ts';
import { LeaseCalls, type LeaseCallsOptions, type Waiter } from './lease-calls.ts';

export interface BudgetLeasesOptions extends Omit<LeaseCallsOptions, 'stores' | 'logger'> {
  readonly stores: StoreHolder;
  readonly logger: Pick<Logger, 'warn' | 'info' | 'debug'>;
  /** How long a request may wait for a lease call (BUDGET_LEASE_WAIT_MS, default 2000). */
  readonly waitMs?: number;
  /** Output tokens assumed without max_tokens (BUDGET_DEFAULT_MAX_OUTPUT_TOKENS, default 16384). */
  readonly defaultMaxOutputTokens?: number;
}

/** How a request's leases stand against its worst case, the worst lease deciding (higher is worse). */
const Standing = {
  Enough: 0,
  /** Answered and fresh, but the balance is short: a lease call may bring more. */
  Short: 1,
  /** Not answered yet, not renewed in time, or its period is over: only a lease call can tell. */
  Stale: 2,
  /** The control plane just said there is not enough for a need this large (negative cache). */
  Spent: 3,
} as const;
type Standing = (typeof Standing)[keyof typeof Standing];

const periods: readonly BudgetPeriod[] = ['daily', 'weekly', 'monthly', 'total'];

/** A fail-open org's warning is logged at most this often. */
const warnEveryMs = 60_000;

export class BudgetLeases {
  readonly calls: LeaseCalls;
  readonly #log: Pick<Logger, 'warn' | 'info' | 'debug'>;
  readonly #waitMs: number;
  readonly #defaultOutput: number;
  readonly #now: () => number;
  readonly #wallNow: () => number;
  readonly #warnedAt = new Map<string, number>();
  /** Set by #stand: the lease and limit that decided the standing (for messages and headers). */
  #worstLease: Lease | null = null;
  #worstLimit: SnapshotLimit | null = null;
  #worstPeriod: BudgetPeriod = 'total';

  constructor(options: BudgetLeasesOptions) {
    this.#log = options.logger;
    this.#waitMs = options.waitMs ?? 2000;
    this.#defaultOutput = options.defaultMaxOutputTokens ?? defaultMaxOutputTokens;
    this.#now = options.now ?? performance.now.bind(performance);
    this.#wallNow = options.wallNow ?? Date.now;
    this.calls = new LeaseCalls({ ...options, now: this.#now, wallNow: this.#wallNow }, (w, failed) =>
      this.#answered(w, failed),
    );
  }

  /**
   * Before forward: hold the request's worst case on every lease of its budgets, or wait for a lease call (the one
   * async verdict, `Pending`), or refuse. `ctx.limits`, `ctx.modelEntry` and `ctx.request` are set.
   */
  reserve(store: SnapshotStore, ctx: RequestContext): Decision | Pending {
    const limits = ctx.limits;
    if (limits === null || !anyBudget(limits)) return allow;
    const raw = worstCaseNano(ctx.bodyBytes, ctx.request!.body, ctx.modelEntry!.pico, this.#defaultOutput);
    const now = this.#now();
    const standing = this.#stand(limits, raw, now);
    if (standing === Standing.Enough) return this.#hold(ctx, limits, raw, now);
    if (standing === Standing.Spent) return this.#exceeded(store);
    if (this.calls.down(now)) return this.#unavailable(ctx, limits);
    let resolve!: (d: Decision) => void;
    const decision = new Promise<Decision>((r) => {
      resolve = r;
    });
    const waiter: Waiter = { ctx, store, limits, raw, rounds: 0, deferred: false, resolve, timer: null, done: false };
    waiter.timer = setTimeout(() => this.#timedOut(waiter), this.#waitMs);
    this.calls.enqueue(waiter);
    return { ok: 'pending', decision };
  }

  /** At meter, exactly once: the hold is released and the real cost (provider nano-dollars) settled on each lease. */
  settle(ctx: RequestContext, costNano: number): void {
    const leases = ctx.budgetLeases;
    if (leases === null) return;
    ctx.budgetLeases = null;
    const held = ctx.budgetHeld;
    ctx.budgetHeld = 0;
    for (const lease of leases) lease.settle(held, costNano);
  }

  /**
   * The tightest budget of the request as x-gateway-budget-* headers: what is left (the control plane's available
   * plus this boot's balance) on the lease with the least, its reset and its scope. Nothing without budgets.
   */
  addHeaders(ctx: RequestContext, headers: Record<string, string>): void {
    const limits = ctx.limits;
    if (limits === null) return;
    let least = Number.POSITIVE_INFINITY;
    let tightest: Lease | null = null;
    let scope: SnapshotLimit | null = null;
    for (const limit of limits) {
      for (const period of periods) {
        if (limit.budgets[period] === undefined) continue;
        const lease = this.calls.book.get(limit.id, period);
        if (lease === null || lease.periodStart === null) continue;
        const left = lease.available + lease.balance;
        if (left < least) {
          least = left;
          tightest = lease;
          scope = limit;
        }
      }
    }
    if (tightest === null || scope === null) return;
    headers['x-gateway-budget-remaining-usd'] = formatUsd(Math.max(least, 0));
    if (tightest.resetsAt !== null) headers['x-gateway-budget-reset'] = tightest.resetsAt;
    headers['x-gateway-budget-scope'] = limitScopeKey(scope.scope, scope.scopeId, scope.orgId);
  }

  /** How the request's leases stand against a worst case of `raw`; the deciding lease is left in #worst*. */
  #stand(limits: readonly SnapshotLimit[], raw: number, now: number): Standing {
    const wallNow = this.#wallNow();
    const maxAge = this.calls.maxAgeMs;
    const book = this.calls.book;
    let standing: Standing = Standing.Enough;
    for (const limit of limits) {
      const budgets = limit.budgets;
      for (const period of periods) {
        if (budgets[period] === undefined) continue;
        const lease = book.get(limit.id, period);
        let s: Standing;
        if (lease === null && this.calls.isGone(limit.id, period, now)) continue;
        if (lease === null || !lease.usable(now, wallNow, maxAge)) s = Standing.Stale;
        else {
          const charged = chargedNano(raw, lease.costFactorPpm);
          if (lease.balance >= charged) continue;
          s = lease.deniedUntil > now && charged >= lease.deniedNeed ? Standing.Spent : Standing.Short;
        }
        if (s > standing) {
          standing = s;
          this.#worstLease = lease;
          this.#worstLimit = limit;
          this.#worstPeriod = period;
        }
      }
    }
    return standing;
  }

  #hold(ctx: RequestContext, limits: readonly SnapshotLimit[], raw: number, now: number): Decision {
    const book = this.calls.book;
    const held: Lease[] = [];
    let refill = false;
    for (const limit of limits) {
      for (const period of periods) {
        if (limit.budgets[period] === undefined) continue;
        // Absent only when the control plane no longer has the budget (isGone).
        const lease = book.get(limit.id, period);
        if (lease === null) continue;
        lease.hold(raw, chargedNano(raw, lease.costFactorPpm), now);
        held.push(lease);
        if (lease.wantsRefill(now)) refill = true;
      }
    }
    ctx.budgetLeases = held;
    ctx.budgetHeld = raw;
    if (refill) this.calls.soon();
    return allow;
  }

  #exceeded(store: SnapshotStore): Decision {
    const lease = this.#worstLease;
    const limit = this.#worstLimit as SnapshotLimit;
    return deny('budget_exceeded', exceededMessage(store, limit, this.#worstPeriod, lease?.resetsAt ?? null));
  }

  /**
   * Budgets cannot be checked (the control plane unreachable, or no answer in time): a fail-closed org (the default)
   * refuses; a fail-open one serves, marks the record, and counts the cost on the leases it has.
   */
  #unavailable(ctx: RequestContext, limits: readonly SnapshotLimit[]): Decision {
    const org = ctx.key!.org;
    if (org.budgetFailOpen !== true) {
      return deny(
        'budget_unavailable',
        'The budgets of this request cannot be checked right now (the control plane is unreachable); retry shortly.',
      );
    }
    ctx.budgetUnchecked = true;
    const now = this.#now();
    const last = this.#warnedAt.get(org.id);
    if (last === undefined || now - last >= warnEveryMs) {
      this.#warnedAt.set(org.id, now);
      this.#log.warn(
        { orgId: org.id },
        'serving requests without checking their budgets (the org is fail-open and the control plane is unreachable)',
      );
    }
    // Their real cost still lowers the balances this boot knows of.
    const book = this.calls.book;
    const leases: Lease[] = [];
    for (const limit of limits) {
      for (const period of periods) {
        if (limit.budgets[period] === undefined) continue;
        const lease = book.get(limit.id, period);
        if (lease !== null && lease.periodStart !== null) leases.push(lease);
      }
    }
    ctx.budgetLeases = leases;
    ctx.budgetHeld = 0;
    return allow;
  }

  /** A lease call this waiter was part of ended (`failed`: no answer). Returns true when it should go round again. */
  #answered(w: Waiter, failed: boolean): boolean {
    if (w.done) return false;
    const now = this.#now();
    const standing = this.#stand(w.limits, w.raw, now);
    if (standing === Standing.Enough) this.#finish(w, this.#hold(w.ctx, w.limits, w.raw, now));
    else if (failed || standing === Standing.Stale) this.#finish(w, this.#unavailable(w.ctx, w.limits));
    else {
      // Short: the grant was spread thin while the budget still has it (another round may bring it), or spent.
      const lease = this.#worstLease as Lease;
      const shortBy = chargedNano(w.raw, lease.costFactorPpm) - Math.max(0, lease.balance);
      if (standing === Standing.Short && w.rounds < 2 && lease.available >= shortBy) {
        w.rounds++;
        return true;
      }
      this.#finish(w, this.#exceeded(w.store));
    }
    return false;
  }

  #timedOut(w: Waiter): void {
    w.timer = null;
    if (w.done) return;
    this.#finish(w, this.#unavailable(w.ctx, w.limits));
  }

  #finish(w: Waiter, decision: Decision): void {
    w.done = true;
    if (w.timer !== null) clearTimeout(w.timer);
    w.timer = null;
    w.resolve(decision);
  }
}

/** Some scope of the request has a budget (rate limits alone need no lease). */
function anyBudget(limits: readonly SnapshotLimit[]): boolean {
  for (const limit of limits) {
    const b = limit.budgets;
    if (b.daily !== undefined || b.weekly !== undefined || b.monthly !== undefined || b.total !== undefined)
      return true;
  }
  return false;
}
