// Hard budgets on the request path: a request is admitted only when every lease of its budgets holds its worst case,
// synchronously; the few that find a lease short or stale wait (bounded) for one coalesced lease call. What runs in
// the background (renewals, refills, idle returns, new periods, heartbeats) is in lease-calls.ts.
import { chargedNano } from '@gw/schema';
import type { Logger } from '../logger.ts';
import type { RequestContext } from '../pipeline/context.ts';
import { allow, type Decision, deny, type Pending } from '../policy/decision.ts';
import type { LimitEntry, SnapshotStore, StoreHolder } from '../snapshot/store.ts';
import { exceededMessage, formatUsd } from './describe.ts';
import { defaultMaxOutputTokens, unboundedFloorNano, worstCaseNano } from './estimate.ts';
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
  /** Set by #stand: the lease that decided the standing (for the refusal's message). */
  #worstLease: Lease | null = null;
  /** The leases of each array of limits, while the book is unchanged. */
  readonly #sets = new WeakMap<readonly LimitEntry[], { version: number; leases: readonly Lease[] | null }>();

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
    const leases = this.#leasesOf(limits, now);
    const standing = this.#stand(leases, raw, now);
    if (standing === Standing.Enough) return this.#hold(ctx, leases as readonly Lease[], raw, now);
    if (standing === Standing.Spent) return this.#partialOrExceeded(ctx, store, limits, leases, raw, now);
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
    const leases = ctx.budgetLeases ?? this.#leasesOf(limits, this.#now()) ?? this.#someLeasesOf(limits);
    let least = Number.POSITIVE_INFINITY;
    let tightest: Lease | null = null;
    for (const lease of leases) {
      if (lease.periodStart === null) continue;
      const left = lease.available + lease.balance;
      if (left < least) {
        least = left;
        tightest = lease;
      }
    }
    if (tightest === null) return;
    headers['x-gateway-budget-remaining-usd'] = formatUsd(Math.max(least, 0));
    if (tightest.resetsAt !== null) headers['x-gateway-budget-reset'] = tightest.resetsAt;
    headers['x-gateway-budget-scope'] = tightest.scopeKey;
  }

  /**
   * The current leases of the budgets of `limits` (one array per array of limits, kept while the book does not change:
   * requests share it and allocate nothing); null when one is missing (not asked for yet). A budget the control plane
   * called gone is left out (and such a set is not kept).
   */
  #leasesOf(limits: readonly LimitEntry[], now: number): readonly Lease[] | null {
    const book = this.calls.book;
    const known = this.#sets.get(limits);
    if (known !== undefined && known.version === book.version) return known.leases;
    const leases: Lease[] = [];
    let complete = true;
    let skipped = false;
    for (const entry of limits) {
      for (const period of entry.periods) {
        const lease = book.get(entry.id, period);
        if (lease !== null) {
          lease.scopeKey = entry.scopeKey;
          leases.push(lease);
        } else if (this.calls.isGone(entry.id, period, now)) skipped = true;
        else complete = false;
      }
    }
    const set = complete ? leases : null;
    if (!skipped) this.#sets.set(limits, { version: book.version, leases: set });
    return set;
  }

  /** The leases there are of `limits` (headers of a request some of whose leases were never asked for). */
  #someLeasesOf(limits: readonly LimitEntry[]): Lease[] {
    const leases: Lease[] = [];
    for (const entry of limits) {
      for (const period of entry.periods) {
        const lease = this.calls.book.get(entry.id, period);
        if (lease !== null) leases.push(lease);
      }
    }
    return leases;
  }

  /** How the request's leases (null: some not there) stand against a worst case of `raw`; the deciding one is kept. */
  #stand(leases: readonly Lease[] | null, raw: number, now: number): Standing {
    this.#worstLease = null;
    if (leases === null) return Standing.Stale;
    const wallNow = this.#wallNow();
    const maxAge = this.calls.maxAgeMs;
    let standing: Standing = Standing.Enough;
    for (const lease of leases) {
      let s: Standing;
      if (!lease.usable(now, wallNow, maxAge)) s = Standing.Stale;
      else {
        const charged = chargedNano(raw, lease.costFactorPpm);
        if (lease.balance >= charged) continue;
        s = lease.deniedUntil > now && charged >= lease.deniedNeed ? Standing.Spent : Standing.Short;
      }
      if (s > standing) {
        standing = s;
        this.#worstLease = lease;
      }
    }
    return standing;
  }

  #hold(ctx: RequestContext, leases: readonly Lease[], raw: number, now: number): Decision {
    let refill = false;
    for (const lease of leases) {
      lease.hold(raw, chargedNano(raw, lease.costFactorPpm), now);
      if (lease.wantsRefill(now)) refill = true;
    }
    ctx.budgetLeases = leases;
    ctx.budgetHeld = raw;
    if (refill) this.calls.soon();
    return allow;
  }

  /** `budget_exceeded` for the lease #stand found spent or short. */
  #exceeded(store: SnapshotStore, limits: readonly LimitEntry[]): Decision {
    const lease = this.#worstLease as Lease;
    const entry = limits.find((l) => l.id === lease.limitId) as LimitEntry;
    return deny('budget_exceeded', exceededMessage(store, entry.limit, lease.period, lease.resetsAt));
  }

  /**
   * Budgets cannot be checked (the control plane unreachable, or no answer in time): a fail-closed org (the default)
   * refuses; a fail-open one serves, marks the record, and counts the cost on the leases it has.
   */
  #unavailable(ctx: RequestContext, limits: readonly LimitEntry[]): Decision {
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
    ctx.budgetLeases = this.#someLeasesOf(limits).filter((lease) => lease.periodStart !== null);
    ctx.budgetHeld = 0;
    return allow;
  }

  /** A lease call this waiter was part of ended (`failed`: no answer). Returns true when it should go round again. */
  #answered(w: Waiter, failed: boolean): boolean {
    if (w.done) return false;
    const now = this.#now();
    const leases = this.#leasesOf(w.limits, now);
    const standing = this.#stand(leases, w.raw, now);
    if (standing === Standing.Enough) this.#finish(w, this.#hold(w.ctx, leases as readonly Lease[], w.raw, now));
    else if (failed || standing === Standing.Stale) this.#finish(w, this.#unavailable(w.ctx, w.limits));
    else {
      // Short: the grant was spread thin while the budget still has it (another round may bring it), or spent.
      const lease = this.#worstLease as Lease;
      const shortBy = chargedNano(w.raw, lease.costFactorPpm) - Math.max(0, lease.balance);
      if (standing === Standing.Short && w.rounds < 2 && lease.available >= shortBy) {
        w.rounds++;
        return true;
      }
      this.#finish(w, this.#partialOrExceeded(w.ctx, w.store, w.limits, leases, w.raw, now));
    }
    return false;
  }

  /**
   * The full worst case does not fit what is left. A request without an output bound is admitted holding what is left
   * on its tightest lease when that still covers its floor (`unboundedFloorNano`); any other is `budget_exceeded`.
   */
  #partialOrExceeded(
    ctx: RequestContext,
    store: SnapshotStore,
    limits: readonly LimitEntry[],
    leases: readonly Lease[] | null,
    raw: number,
    now: number,
  ): Decision {
    const floor = leases === null ? 0 : unboundedFloorNano(ctx.bodyBytes, ctx.request!.body, ctx.modelEntry!.pico);
    if (floor > 0) {
      const held = this.#leftOn(leases as readonly Lease[], raw, now);
      if (held >= floor) return this.#hold(ctx, leases as readonly Lease[], held, now);
    }
    return this.#exceeded(store, limits);
  }

  /** The most (provider nano-dollars, at most `raw`) every lease can still hold; 0 when one is unusable or empty. */
  #leftOn(leases: readonly Lease[], raw: number, now: number): number {
    const wallNow = this.#wallNow();
    let left = raw;
    for (const lease of leases) {
      if (!lease.usable(now, wallNow, this.calls.maxAgeMs) || lease.balance <= 0) return 0;
      const ppm = lease.costFactorPpm;
      // The largest provider amount whose charge at this factor fits the balance.
      const fits = ppm === 1_000_000 ? lease.balance : Math.floor((lease.balance * 1_000_000) / ppm);
      if (fits < left) left = fits;
    }
    return left;
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
function anyBudget(limits: readonly LimitEntry[]): boolean {
  for (const entry of limits) if (entry.periods.length !== 0) return true;
  return false;
}
