// The lease calls: one at a time, each carrying everything due at once: the needs of waiting requests (coalesced:
// many waiters, one call), renewals, refills, idle returns, new periods; a heartbeat when nothing else is due but the
// snapshot has rate limits (its answer tells how many data planes share them). A timer (unref'd, about every 500 ms)
// runs only while some lease is in use or the snapshot has rate limits.
import { type BudgetPeriod, type LeaseAsk, type LeaseResponse, maxLeaseItems } from '@gw/schema';
import type { Logger } from '../logger.ts';
import type { RequestContext } from '../pipeline/context.ts';
import type { Decision } from '../policy/decision.ts';
import type { LimitEntry, SnapshotStore, StoreHolder } from '../snapshot/store.ts';
import { Lease } from './lease.ts';
import { askOf, dueAsks } from './lease-asks.ts';
import { LeaseBook } from './lease-book.ts';
import type { LeaseFn } from './lease-client.ts';

export interface LeaseCallsOptions {
  readonly lease: LeaseFn;
  readonly nodeId: string;
  readonly bootId: string;
  readonly stores: StoreHolder;
  readonly logger: Pick<Logger, 'warn' | 'info' | 'debug'>;
  /** Unused leases are given back after this long (BUDGET_LEASE_IDLE_RETURN_MS, default 10 s). */
  readonly idleReturnMs?: number;
  /** Background period (default 500 ms). */
  readonly tickMs?: number;
  /** Data planes sharing rate limits, from each answer. */
  readonly onDataPlanes?: (count: number) => void;
  /** Called on each background pass that has work (the rate limiter's sweep). */
  readonly onTick?: () => void;
  /** Monotonic and wall clocks (ms); tests move them. */
  readonly now?: () => number;
  readonly wallNow?: () => number;
}

/** A request waiting for a lease call. */
export interface Waiter {
  readonly ctx: RequestContext;
  readonly store: SnapshotStore;
  readonly limits: readonly LimitEntry[];
  /** Its worst case, provider nano-dollars. */
  readonly raw: number;
  /** Calls it went through already. */
  rounds: number;
  /** Left out of the call being made (it was full). */
  deferred: boolean;
  readonly resolve: (d: Decision) => void;
  timer: NodeJS.Timeout | null;
  done: boolean;
}

/** After a waiter's call ended: true = it should join the next call. */
type Answered = (w: Waiter, failed: boolean) => boolean;

/** How long the negative cache refuses without asking again. */
const deniedForMs = 1000;
/** A lease not renewed within this share of the ttl is not used (the control plane may reclaim it at the ttl). */
const usableShare = 0.8;
/** After a failed call, requests needing one decide at once for this long (doubling up to downMaxMs). */
const downMinMs = 500;
const downMaxMs = 5000;

/** How long a budget the control plane called gone is treated as absent while the snapshot still names it. */
const goneForMs = 60_000;

export class LeaseCalls {
  readonly book = new LeaseBook();
  /**
   * `${limitId} ${period}` -> when the control plane said it no longer has that budget: until the snapshot catches up
   * (a delta removing it), requests do not wait for a lease of it.
   */
  readonly #gone = new Map<string, number>();
  /** A lease older than this is not used (0.8 × the last answer's ttl; 0 before any answer). */
  maxAgeMs = 0;
  #ttlMs = 0;
  readonly #o: LeaseCallsOptions;
  readonly #answered: Answered;
  readonly #idleMs: number;
  readonly #tickMs: number;
  readonly #now: () => number;
  readonly #wallNow: () => number;
  /** Waiters for the next call. */
  #round: Waiter[] | null = null;
  #calling: Promise<void> | null = null;
  /** Another call is wanted as soon as the current one ends. */
  #again = false;
  #scheduled = false;
  #timer: NodeJS.Timeout | null = null;
  #lastAnswerAt = Number.NEGATIVE_INFINITY;
  /** Since when this boot has called at least once per ttl (the control plane's count of data planes is then whole). */
  #steadySince = Number.NEGATIVE_INFINITY;
  /** Data planes sharing rate limits, as last worked out (1 until an answer says). */
  #dataPlanes = 1;
  #downUntil = Number.NEGATIVE_INFINITY;
  #failures = 0;
  #stopped = false;

  constructor(options: LeaseCallsOptions, answered: Answered) {
    this.#o = options;
    this.#answered = answered;
    this.#idleMs = options.idleReturnMs ?? 10_000;
    this.#tickMs = options.tickMs ?? 500;
    this.#now = options.now ?? performance.now.bind(performance);
    this.#wallNow = options.wallNow ?? Date.now;
    options.stores.onSwap((store) => {
      if (store.hasRateLimits) this.#ensureTimer();
    });
    if (options.stores.current?.hasRateLimits) this.#ensureTimer();
  }

  /** The last call failed and its backoff has not passed: a request needing a call decides without one. */
  down(now: number): boolean {
    return now < this.#downUntil;
  }

  /** The control plane said lately that it no longer has this budget. */
  isGone(limitId: string, period: BudgetPeriod, now: number): boolean {
    if (this.#gone.size === 0) return false;
    const at = this.#gone.get(`${limitId} ${period}`);
    return at !== undefined && now - at < goneForMs;
  }

  /** A call is running (tests, shutdown). */
  get busy(): boolean {
    return this.#calling !== null;
  }

  enqueue(w: Waiter): void {
    if (this.#round === null) this.#round = [];
    this.#round.push(w);
    this.soon();
  }

  /**
   * A call soon: after the requests that arrived in this turn of the event loop joined it (one setImmediate per call,
   * not per request), or right after the running one.
   */
  soon(): void {
    if (this.#stopped) return;
    if (this.#calling !== null) {
      this.#again = true;
      return;
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.call();
    });
  }

  /** The background pass: makes a call when anything is due (tests call it directly). */
  tick(): Promise<void> {
    if (!this.#o.stores.current?.hasRateLimits && this.#dormant()) {
      // Nothing to renew or give back: the timer sleeps until a request waits for a lease call again (it must, to
      // use a lease that gave its balance back).
      this.#stopTimer();
      return Promise.resolve();
    }
    this.#o.onTick?.();
    if (this.#calling !== null || this.down(this.#now())) return this.#calling ?? Promise.resolve();
    return this.call();
  }

  /** One lease call with everything due; resolves when its answer was applied and its waiters decided. */
  async call(): Promise<void> {
    if (this.#calling !== null) {
      this.#again = true;
      return this.#calling;
    }
    const running = this.#run();
    this.#calling = running;
    try {
      await running;
    } finally {
      this.#calling = null;
    }
    if ((this.#again || this.#round !== null) && !this.#stopped) {
      this.#again = false;
      this.soon();
    }
  }

  /** Graceful stop, after in-flight requests drained: no more calls; every lease's balance is given back. */
  async returnAll(): Promise<void> {
    this.#stopped = true;
    this.#stopTimer();
    while (this.#calling !== null) await this.#calling;
    let asks: LeaseAsk[] = [];
    for (const lease of this.book) {
      if (lease.periodStart === null) continue;
      const balance = lease.balance;
      if (balance > 0) lease.returned += balance;
      asks.push(askOf(lease));
      if (asks.length === maxLeaseItems) {
        await this.#o.lease({ nodeId: this.#o.nodeId, bootId: this.#o.bootId, asks });
        asks = [];
      }
    }
    if (asks.length === 0) return;
    await this.#o.lease({ nodeId: this.#o.nodeId, bootId: this.#o.bootId, asks });
  }

  stop(): void {
    this.#stopped = true;
    this.#stopTimer();
  }

  async #run(): Promise<void> {
    const now = this.#now();
    const wallNow = this.#wallNow();
    const round = this.#round;
    this.#round = null;
    const asks = dueAsks(this.book, round, {
      now,
      wallNow,
      maxAgeMs: this.maxAgeMs,
      renewAfterMs: this.#ttlMs / 3,
      idleMs: this.#idleMs,
      isGone: (limitId, period) => this.isGone(limitId, period, now),
    });
    if (round !== null) this.#ensureTimer();
    const heartbeat =
      asks.size === 0 && this.#o.stores.current?.hasRateLimits === true && now - this.#lastAnswerAt >= this.#ttlMs / 3;
    let answer: LeaseResponse | null = null;
    let failed = false;
    if (asks.size > 0 || heartbeat) {
      try {
        answer = await this.#o.lease({ nodeId: this.#o.nodeId, bootId: this.#o.bootId, asks: [...asks.values()] });
      } catch (err) {
        failed = true;
        this.#failed(err);
      }
    }
    if (answer !== null) this.#apply(answer, now, wallNow, asks);
    if (round === null) return;
    for (const w of round) {
      if (w.done) continue;
      // Left out of this call (it was full): the next one.
      if (w.deferred) {
        w.deferred = false;
        this.enqueue(w);
      } else if (this.#answered(w, failed)) this.enqueue(w);
    }
  }

  #apply(answer: LeaseResponse, sentAt: number, sentAtWall: number, asks: Map<Lease, LeaseAsk>): void {
    const now = this.#now();
    this.#ttlMs = answer.ttlMs;
    this.maxAgeMs = answer.ttlMs * usableShare;
    // The control plane counts the boots that called within its ttl: after a silence longer than that, the others may
    // have been silent too, so a lower count is believed only once this boot has called for a whole ttl again.
    if (sentAt - this.#lastAnswerAt > answer.ttlMs) this.#steadySince = sentAt;
    this.#lastAnswerAt = sentAt;
    const counted = Math.max(1, answer.dataPlanes);
    this.#dataPlanes = sentAt - this.#steadySince < answer.ttlMs ? Math.max(this.#dataPlanes, counted) : counted;
    if (this.#failures > 0) this.#o.logger.info('budget lease calls reach the control plane again');
    this.#failures = 0;
    this.#downUntil = Number.NEGATIVE_INFINITY;
    this.#o.onDataPlanes?.(this.#dataPlanes);
    const needs = new Map<string, number>();
    for (const a of asks.values()) if (a.need > 0) needs.set(`${a.limitId} ${a.period}`, a.need);
    for (const grant of answer.grants) {
      let lease = this.book.get(grant.limitId, grant.period);
      if (lease === null) {
        // Only what was asked for is taken (a lease dropped meanwhile stays dropped).
        if (!needs.has(`${grant.limitId} ${grant.period}`)) continue;
        lease = this.book.ensure(grant.limitId, grant.period);
      } else if (lease.periodStart !== null && lease.periodStart !== grant.periodStart) {
        // A new period: a new lease. Requests admitted on the old one settle there.
        const next = new Lease(grant.limitId, grant.period);
        next.lastUsedAt = lease.lastUsedAt;
        next.scopeKey = lease.scopeKey;
        this.book.replace(next);
        lease = next;
      }
      lease.apply(grant, sentAt, sentAtWall);
      const need = needs.get(`${grant.limitId} ${grant.period}`) ?? 0;
      // The budget has nothing left for this need (not merely a thin grant): remembered for a moment.
      if (need > 0 && lease.balance < need && lease.balance + grant.available < need) {
        lease.deniedNeed = need;
        lease.deniedUntil = now + deniedForMs;
      } else if (lease.balance > 0) lease.deniedUntil = Number.NEGATIVE_INFINITY;
    }
    for (const g of answer.gone) {
      this.book.drop(g.limitId, g.period);
      this.#gone.set(`${g.limitId} ${g.period}`, now);
    }
    if (this.#gone.size > 0) {
      for (const [id, at] of this.#gone) if (now - at >= goneForMs) this.#gone.delete(id);
      for (const g of answer.grants) this.#gone.delete(`${g.limitId} ${g.period}`);
    }
  }

  #failed(err: unknown): void {
    const now = this.#now();
    this.#downUntil = now + Math.min(downMaxMs, downMinMs * 2 ** Math.min(this.#failures, 10));
    if (this.#failures === 0) {
      this.#o.logger.warn({ err: (err as Error).message }, 'budget lease call failed; leases are not renewed');
    }
    this.#failures++;
  }

  /** Every lease gave its balance back and holds nothing (or there are none). */
  #dormant(): boolean {
    for (const lease of this.book) if (!lease.idle || lease.heldRaw !== 0) return false;
    return true;
  }

  /** The background timer runs (tests). */
  get ticking(): boolean {
    return this.#timer !== null;
  }

  #ensureTimer(): void {
    if (this.#timer !== null || this.#stopped) return;
    this.#timer = setInterval(() => void this.tick(), this.#tickMs);
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer === null) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }
}
