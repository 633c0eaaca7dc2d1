// The budget stage: a seam the budgets feature fills. Today every request is within budget and nothing is held.
import { allow, type Decision } from '../policy/decision.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import type { RequestContext } from './context.ts';

/**
 * Before forward: refuse a request whose key, user, team, org or module has spent its budget
 * (`budget_exceeded`), otherwise hold an estimate of its cost against those budgets in `ctx.budgetHeld`, so
 * that concurrent requests cannot overspend. Runs after authorize (`ctx.modelEntry` gives the prices).
 */
export function reserveBudget(_store: SnapshotStore, _ctx: RequestContext): Decision {
  return allow;
}

/**
 * At meter, exactly once per request whatever its outcome (refused later, provider failure, caller gone, stream cut):
 * replace the hold with the real cost (`costUsd`, from `ctx.usage` at `ctx.modelEntry`'s prices), or release it when nothing was spent.
 */
export function settleBudget(_ctx: RequestContext, _costUsd: number): void {}
