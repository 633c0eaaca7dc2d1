// The last stage: closes the request's books exactly once, whatever happened (answered, refused, failed, cut).
import type { AppDeps } from '../routes/deps.ts';
import { finishExchange } from '../usage/meter.ts';
import { type LimitServices, settleBudget } from './budget.ts';
import type { RequestContext } from './context.ts';
import { settleRateLimit } from './rate-limit.ts';

/** Ends the in-flight note, settles budget and rate-limit holds, observes metrics, ends the spans, records usage. */
export function meter(deps: AppDeps, ctx: RequestContext, status: number, errorCode: string | null): void {
  if (ctx.finished) return;
  deps.inflight?.end(ctx);
  const done = finishExchange(ctx, deps.nodeId, deps.bootId, status, errorCode);
  meterLimits(deps, ctx, done.costNano);
  deps.metrics.observe(done.labels, {
    latencySeconds: done.latencyMs / 1000,
    overheadSeconds: done.overheadMs / 1000,
    inputTokens: done.record?.inputTokens ?? 0,
    outputTokens: done.record?.outputTokens ?? 0,
    costUsd: done.costUsd,
  });
  if (ctx.trace !== null) ctx.trace.end(ctx, status, errorCode, done);
  if (done.record) deps.usage.record(done.record);
}

/** Settles the request's budget holds with its real cost (provider nano-dollars) and its tokens in the rate windows. */
export function meterLimits(limits: LimitServices, ctx: RequestContext, costNano: number): void {
  settleBudget(limits, ctx, costNano);
  settleRateLimit(limits, ctx);
}
