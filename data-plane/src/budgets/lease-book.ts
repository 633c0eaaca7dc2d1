// The leases this boot holds, one per (limit id, period): the current period's lease of each budget. A lease replaced
// (a new period) or dropped (`gone`) lives on only in the contexts of the requests admitted on it, which settle on it.
import type { BudgetPeriod } from '@gw/schema';
import { Lease } from './lease.ts';

type Slots = { [P in BudgetPeriod]: Lease | null };

export class LeaseBook {
  readonly #byLimit = new Map<string, Slots>();
  #size = 0;
  /** Changes whenever a lease is added, replaced or dropped: what was looked up in the book before is stale then. */
  version = 0;

  /** Leases in the book. */
  get size(): number {
    return this.#size;
  }

  get(limitId: string, period: BudgetPeriod): Lease | null {
    const slots = this.#byLimit.get(limitId);
    return slots === undefined ? null : slots[period];
  }

  /** The lease of this budget, created empty (not answered for yet) when there is none. */
  ensure(limitId: string, period: BudgetPeriod): Lease {
    let slots = this.#byLimit.get(limitId);
    if (slots === undefined) {
      slots = { daily: null, weekly: null, monthly: null, total: null };
      this.#byLimit.set(limitId, slots);
    }
    let lease = slots[period];
    if (lease === null) {
      lease = new Lease(limitId, period);
      slots[period] = lease;
      this.#size++;
      this.version++;
    }
    return lease;
  }

  /** Puts `lease` in place of the budget's current one (a new period). */
  replace(lease: Lease): void {
    const slots = this.#byLimit.get(lease.limitId);
    if (slots === undefined || slots[lease.period] === null) {
      this.ensure(lease.limitId, lease.period);
      (this.#byLimit.get(lease.limitId) as Slots)[lease.period] = lease;
      return;
    }
    slots[lease.period] = lease;
    this.version++;
  }

  drop(limitId: string, period: BudgetPeriod): void {
    const slots = this.#byLimit.get(limitId);
    if (slots === undefined || slots[period] === null) return;
    slots[period] = null;
    this.#size--;
    this.version++;
    if (!slots.daily && !slots.weekly && !slots.monthly && !slots.total) this.#byLimit.delete(limitId);
  }

  *[Symbol.iterator](): Generator<Lease> {
    for (const slots of this.#byLimit.values()) {
      if (slots.daily) yield slots.daily;
      if (slots.weekly) yield slots.weekly;
      if (slots.monthly) yield slots.monthly;
      if (slots.total) yield slots.total;
    }
  }
}
