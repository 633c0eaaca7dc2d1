// The budget stage: hard budgets per scope, held against leases of the control plane's ledger (../budgets/).
// Requests without budgets pass with one null check; the only wait is for a lease call (a `Pending` verdict).
import { applicableLimits } from '../budgets/applicable.ts';
import type { BudgetLeases } from '../budgets/budget-leases.ts';
import type { RateLimiter } from '../budgets/rate-limiter.ts';
import { allow, type Decision, type Pending } from '../policy/decision.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import type { RequestContext } from './context.ts';

/** The process-wide state behind the budget and rate-limit stages. */
export interface LimitServices {
  readonly budgets: BudgetLeases;
  readonly rates: RateLimiter;
}

/** After admit: the limits set on the request's scopes, into `ctx.limits` (a snapshot without any: one boolean). */
export function findLimits(store: SnapshotStore, ctx: RequestContext): void {
  if (store.hasLimits) ctx.limits = applicableLimits(store, ctx);
}

/**
 * Before forward: refuse a request whose key, user, team, org or module has spent its budget (`budget_exceeded`),
 * or whose budgets cannot be checked in a fail-closed org (`budget_unavailable`); otherwise hold its worst case on
 * those budgets' leases (`ctx.budgetLeases`), so that concurrent requests cannot overspend. Runs after authorize
 * (`ctx.modelEntry` gives the prices). `Pending` only when the request must wait for a lease call.
 */
export function reserveBudget(limits: LimitServices, store: SnapshotStore, ctx: RequestContext): Decision | Pending {
  if (ctx.limits === null) return allow;
  return limits.budgets.reserve(store, ctx);
}

/**
 * At meter, exactly once per request whatever its outcome (refused later, provider failure, caller gone, stream cut):
 * replace the hold with the real cost (`costNano`, provider nano-dollars from `ctx.usage`), or release it.
 */
export function settleBudget(limits: LimitServices, ctx: RequestContext, costNano: number): void {
  if (ctx.budgetLeases !== null) limits.budgets.settle(ctx, costNano);
}

/** The x-gateway-budget-* and x-ratelimit-* headers of a request with limits, added to `headers`. */
export function addLimitHeaders(limits: LimitServices, ctx: RequestContext, headers: Record<string, string>): void {
  if (ctx.limits === null) return;
  limits.budgets.addHeaders(ctx, headers);
  limits.rates.addHeaders(ctx, headers);
}

/** The limit headers of an answer built by the error path (refusals); undefined for a request without limits. */
export function limitHeadersOf(limits: LimitServices, ctx: RequestContext): Record<string, string> | undefined {
  if (ctx.limits === null) return undefined;
  const headers: Record<string, string> = {};
  addLimitHeaders(limits, ctx, headers);
  return headers;
}
