// A sliding one-minute window of 60 one-second buckets: what was counted (requests or tokens) in the last minute.
// Allocation-free: a fixed typed array, advanced lazily to the second of each access.

const seconds = 60;

export class RateWindow {
  readonly #buckets = new Float64Array(seconds);
  /** Sum of the buckets. */
  #total = 0;
  /** The second (monotonic, whole) of the newest bucket. */
  #second = 0;
  /** Monotonic second of the last count: an idle window can be dropped. */
  lastCountAt = 0;

  /** What the window holds as of `second`. */
  total(second: number): number {
    this.#advance(second);
    return this.#total;
  }

  add(second: number, amount: number): void {
    this.#advance(second);
    this.#buckets[second % seconds] += amount;
    this.#total += amount;
    this.lastCountAt = second;
  }

  /**
   * Whole seconds (at least 1) until the window holds at most `target`, as its oldest buckets expire; 60 when even
   * the newest second alone is above it.
   */
  secondsUntilAtMost(second: number, target: number): number {
    this.#advance(second);
    let left = this.#total;
    for (let k = 1; k <= seconds; k++) {
      // After k seconds the buckets of seconds (second - 59) .. (second - 60 + k) have expired.
      left -= this.#buckets[(second + k) % seconds];
      if (left <= target) return k;
    }
    return seconds;
  }

  #advance(second: number): void {
    const from = this.#second;
    if (second <= from) return;
    if (second - from >= seconds) {
      this.#buckets.fill(0);
      this.#total = 0;
    } else {
      for (let s = from + 1; s <= second; s++) {
        const i = s % seconds;
        this.#total -= this.#buckets[i];
        this.#buckets[i] = 0;
      }
    }
    this.#second = second;
  }
}
