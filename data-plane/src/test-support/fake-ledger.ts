// A control plane's budget ledger in memory, behind the lease function the data plane calls (LeaseFn): grants from
// what is left of each budget as the control plane does (the need while there is that much, else at most half a fair
// share), takes back what is returned, and answers for the current period. Tests set budgets, spend, periods, and make calls fail or hang.
import type { BudgetPeriod, LeaseGrant, LeaseRequest, LeaseResponse } from '@gw/schema';
import type { LeaseFn } from '../budgets/lease-client.ts';
import { ControlPlaneError } from '../control-plane-client.ts';

interface Budget {
  limit: number;
  periodStart: string;
  resetsAt: string | null;
  /** Recorded spend of the period (all data planes). */
  spent: number;
  /** Per boot: granted and returned in this period. */
  granted: Map<string, number>;
  returned: Map<string, number>;
}

export class FakeLedger {
  readonly calls: LeaseRequest[] = [];
  ttlMs = 30_000;
  dataPlanes = 1;
  costFactorPpm = 1_000_000;
  /** Calls fail as an unreachable control plane does. */
  failing = false;
  /** Calls wait for this promise before answering (a slow control plane). */
  gate: Promise<void> | null = null;
  readonly #budgets = new Map<string, Budget>();
  readonly #gone = new Set<string>();

  /** Sets (or resets) a budget's period: a new periodStart starts the period's grants afresh. */
  budget(limitId: string, period: BudgetPeriod, limit: number, periodStart: string, resetsAt: string | null): void {
    const id = `${limitId} ${period}`;
    const known = this.#budgets.get(id);
    if (known && known.periodStart === periodStart) {
      known.limit = limit;
      known.resetsAt = resetsAt;
      return;
    }
    this.#budgets.set(id, { limit, periodStart, resetsAt, spent: 0, granted: new Map(), returned: new Map() });
    this.#gone.delete(id);
  }

  /** Records spend (as ingested usage would). */
  spend(limitId: string, period: BudgetPeriod, nano: number): void {
    const b = this.#budgets.get(`${limitId} ${period}`);
    if (b) b.spent += nano;
  }

  remove(limitId: string, period: BudgetPeriod): void {
    this.#budgets.delete(`${limitId} ${period}`);
    this.#gone.add(`${limitId} ${period}`);
  }

  /** What a boot was granted and gave back in the current period. */
  held(limitId: string, period: BudgetPeriod, bootId: string): { granted: number; returned: number } {
    const b = this.#budgets.get(`${limitId} ${period}`);
    return { granted: b?.granted.get(bootId) ?? 0, returned: b?.returned.get(bootId) ?? 0 };
  }

  readonly lease: LeaseFn = async (request) => {
    this.calls.push(structuredClone(request));
    if (this.gate) await this.gate;
    if (this.failing) throw new ControlPlaneError('control plane unreachable: connect ECONNREFUSED');
    const grants: LeaseGrant[] = [];
    const gone: LeaseResponse['gone'] = [];
    for (const ask of request.asks) {
      const id = `${ask.limitId} ${ask.period}`;
      const b = this.#budgets.get(id);
      if (!b) {
        if (this.#gone.has(id)) gone.push({ limitId: ask.limitId, period: ask.period });
        continue;
      }
      const boot = request.bootId;
      if (ask.periodStart === b.periodStart) b.returned.set(boot, Math.max(b.returned.get(boot) ?? 0, ask.returned));
      const outstanding = [...b.granted.keys()].reduce(
        (sum, k) => sum + (b.granted.get(k) ?? 0) - (b.returned.get(k) ?? 0),
        0,
      );
      const available = Math.max(0, b.limit - b.spent - outstanding);
      // As the control plane grants (schema/PROTOCOL.md, "The lease call"): the need while the budget has it,
      // otherwise at most half of a fair share of what is left.
      const share = Math.ceil(available / (2 * this.dataPlanes));
      const extra = Math.min(available, Math.max(ask.need, Math.min(ask.want, share)));
      b.granted.set(boot, (b.granted.get(boot) ?? 0) + extra);
      grants.push({
        limitId: ask.limitId,
        period: ask.period,
        periodStart: b.periodStart,
        resetsAt: b.resetsAt,
        granted: b.granted.get(boot) ?? 0,
        limit: b.limit,
        spent: b.spent,
        available: available - extra,
        costFactorPpm: this.costFactorPpm,
      });
    }
    return { ttlMs: this.ttlMs, dataPlanes: this.dataPlanes, grants, gone };
  };
}
