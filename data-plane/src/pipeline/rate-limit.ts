// The rate-limit stage: requests and tokens per minute per scope, this data plane's share of each
// (../budgets/rate-limiter.ts). Requests without limits pass with one null check.
import { allow, type Decision } from '../policy/decision.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import type { LimitServices } from './budget.ts';
import type { RequestContext } from './context.ts';

/**
 * Before forward: refuse a request over its key's, user's, team's, org's or module's request or token rate
 * (`rate_limited`, with retry-after), otherwise count it (`ctx.rateHeld`).
 */
export function acquireRateLimit(limits: LimitServices, _store: SnapshotStore, ctx: RequestContext): Decision {
  if (ctx.limits === null) return allow;
  return limits.rates.acquire(ctx);
}

/** At meter, exactly once per request: the real tokens (`ctx.usage`) join the token windows. */
export function settleRateLimit(limits: LimitServices, ctx: RequestContext): void {
  if (ctx.rateHeld !== 0) limits.rates.settle(ctx);
}
