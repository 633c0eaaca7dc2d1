// One budget lease: the slice of one budget (limit id + period) this boot holds from the control plane, and the
// integer arithmetic of what is left of it. Amounts are nano-dollars as counted against budgets (after the cost
// factor), except `heldRaw`, which is provider cost (see `held`).
import { type BudgetPeriod, chargedNano, type LeaseGrant } from '@gw/schema';

/** Seconds of spend a lease remembers to size its refills. */
const spendSeconds = 5;
/** A request's hold triggers a refill call at most this often per lease (the background tick also refills). */
const refillEveryMs = 250;

export class Lease {
  readonly limitId: string;
  readonly period: BudgetPeriod;
  /** limitScopeKey of the limit's scope, as the snapshot last said (for headers). */
  scopeKey = '';
  /** The period this lease is for, as the control plane named it; null until its first answer. */
  periodStart: string | null = null;
  /** ISO end of the period (null: `total`, or not known yet) and the same as epoch ms (Infinity when null). */
  resetsAt: string | null = null;
  resetsAtMs = Number.POSITIVE_INFINITY;
  /** Granted to this boot in this period (cumulative, from the control plane). */
  granted = 0;
  /** Given back by this boot in this period (cumulative, never decreases: once sent, never used again). */
  returned = 0;
  /**
   * Provider cost (nano) of the worst cases of in-flight requests admitted on this lease. Kept before the cost factor
   * so that a factor changing while they run cannot leave a remainder: `held` applies the current one.
   */
  heldRaw = 0;
  /** Charged actual cost of the requests that finished on this lease. */
  settled = 0;
  /** LeaseGrant.costFactorPpm of the last answer. */
  costFactorPpm = 1_000_000;
  /** The budget and what the control plane knew of it at the last answer (for headers and messages). */
  limit = 0;
  available = 0;
  /** Monotonic ms of the last answer covering this lease (when its call was sent); -Infinity = never. */
  renewedAt = Number.NEGATIVE_INFINITY;
  /** Wall-clock ms when the call of the last answer was sent. */
  answeredAtWall = Number.NEGATIVE_INFINITY;
  /** Monotonic ms of the last call that asked about it. */
  askedAt = Number.NEGATIVE_INFINITY;
  /** Monotonic ms of the last request admitted on it. */
  lastUsedAt = Number.NEGATIVE_INFINITY;
  /** The unused balance was given back after it sat idle; cleared when it is used again. */
  idle = false;
  /**
   * Negative cache: the control plane just said this budget has nothing left for a need of `deniedNeed`; requests
   * needing at least that much are refused until `deniedUntil` (monotonic ms) without asking again.
   */
  deniedNeed = 0;
  deniedUntil = Number.NEGATIVE_INFINITY;
  /** When the balance falls below this, a refill is asked for (recomputed by the background tick). */
  refillMark = 0;

  /** Admitting a request left the balance below the refill mark, and a call may bring more (not asked just now). */
  wantsRefill(now: number): boolean {
    return this.balance < this.refillMark && this.available > 0 && now - this.askedAt >= refillEveryMs;
  }
  /** Charged worst cases admitted per second over the last seconds, and the largest one, to size refills. */
  readonly #spend = new Float64Array(spendSeconds);
  readonly #largest = new Float64Array(spendSeconds);
  #second = 0;

  constructor(limitId: string, period: BudgetPeriod) {
    this.limitId = limitId;
    this.period = period;
  }

  /** What in-flight requests hold, charged at the current cost factor. */
  get held(): number {
    return this.heldRaw === 0 ? 0 : chargedNano(this.heldRaw, this.costFactorPpm);
  }

  /** What this boot may still admit on the lease: granted − returned − held − settled (negative after overruns). */
  get balance(): number {
    return this.granted - this.returned - this.held - this.settled;
  }

  /**
   * The lease has been answered for and renewed recently enough to be used (`maxAgeMs`: 0.8 × the lease ttl), and
   * its period has not ended, unless the control plane answered for it after its end by this clock (the two clocks
   * differ by a little: its answer is what counts).
   */
  usable(now: number, wallNow: number, maxAgeMs: number): boolean {
    return (
      this.periodStart !== null &&
      now - this.renewedAt < maxAgeMs &&
      (wallNow < this.resetsAtMs || this.answeredAtWall >= this.resetsAtMs)
    );
  }

  /** Admits a request whose worst case is `raw` provider nano-dollars (`charged` after the factor). */
  hold(raw: number, charged: number, now: number): void {
    this.heldRaw += raw;
    this.lastUsedAt = now;
    this.idle = false;
    const second = Math.floor(now / 1000);
    this.#advance(second);
    const i = second % spendSeconds;
    this.#spend[i] += charged;
    if (charged > this.#largest[i]) this.#largest[i] = charged;
  }

  /** A request admitted with a hold of `raw` finished, having cost `actualRaw` (provider nano-dollars). */
  settle(raw: number, actualRaw: number): void {
    this.heldRaw -= raw;
    if (actualRaw > 0) this.settled += chargedNano(actualRaw, this.costFactorPpm);
  }

  /**
   * What a refill should bring the balance up to: about twice the spend of the last seconds, at least four times the
   * largest recent worst case (`floor`: a worst case not admitted yet, e.g. of a request waiting for this lease).
   */
  refillTarget(now: number, floor = 0): number {
    this.#advance(Math.floor(now / 1000));
    let spend = 0;
    let largest = floor;
    for (let i = 0; i < spendSeconds; i++) {
      spend += this.#spend[i];
      if (this.#largest[i] > largest) largest = this.#largest[i];
    }
    return Math.max(2 * spend, 4 * largest);
  }

  /** Takes the control plane's answer for this lease (its period must be this lease's or the first one named). */
  apply(grant: LeaseGrant, answeredFor: number, answeredForWall: number): void {
    this.periodStart = grant.periodStart;
    this.resetsAt = grant.resetsAt;
    this.resetsAtMs = grant.resetsAt === null ? Number.POSITIVE_INFINITY : Date.parse(grant.resetsAt);
    // Cumulative, and authoritative: calls are made one at a time, so answers arrive in order.
    this.granted = grant.granted;
    this.costFactorPpm = grant.costFactorPpm;
    this.limit = grant.limit;
    this.available = grant.available;
    if (answeredFor > this.renewedAt) this.renewedAt = answeredFor;
    this.answeredAtWall = answeredForWall;
  }

  #advance(second: number): void {
    if (second === this.#second) return;
    if (second - this.#second >= spendSeconds) {
      this.#spend.fill(0);
      this.#largest.fill(0);
    } else {
      for (let s = this.#second + 1; s <= second; s++) {
        this.#spend[s % spendSeconds] = 0;
        this.#largest[s % spendSeconds] = 0;
      }
    }
    this.#second = second;
  }
}
