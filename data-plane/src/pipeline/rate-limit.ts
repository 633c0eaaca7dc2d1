// The rate-limit stage: a seam the rate-limits feature fills. Today no request is limited and nothing is counted.
import { allow, type Decision } from '../policy/decision.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import type { RequestContext } from './context.ts';

/**
 * Before forward: refuse a request over its key's, user's, team's, org's or module's request or token rate
 * (`rate_limited`), otherwise count it (and an estimate of its tokens) in `ctx.rateHeld`.
 */
export function acquireRateLimit(_store: SnapshotStore, _ctx: RequestContext): Decision {
  return allow;
}

/** At meter, exactly once per request: correct the counted tokens with the real ones (`ctx.usage`), free any slot. */
export function settleRateLimit(_ctx: RequestContext): void {}
