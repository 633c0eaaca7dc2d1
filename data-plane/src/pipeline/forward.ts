// Forward and response guardrails: sends the request to the chosen deployment and relays its answer, JSON read whole
// or SSE chunk by chunk; a non-2xx answer becomes the gateway error its provider adapter maps it to.

import { errorCodes } from '@gw/schema';
import { errorResponse, GatewayError } from '../errors.ts';
import type { CallerRequest } from '../http/caller.ts';
import { bytesResponse, streamResponse } from '../http/responses.ts';
import type { AppDeps } from '../routes/deps.ts';
import { type RelayHooks, StreamRelay } from '../upstream/relay.ts';
import { addLimitHeaders, limitHeadersOf } from './budget.ts';
import { type EndpointRequest, type RequestContext, streamTokensSoFar } from './context.ts';
import type { ProxyEndpoint } from './endpoint.ts';
import { checkResponseBody } from './guardrails.ts';
import { meter } from './meter.ts';

/** Provider error bodies are only read for their message. */
const maxErrorBody = 64 * 1024;

/**
 * After route. Throws GatewayError for provider failures and ClientGoneError when the caller left before the
 * answer; the caller of this function meters those. A streamed answer is metered by `hooks` when it ends.
 */
export async function forward<R extends EndpointRequest>(
  deps: AppDeps,
  hooks: RelayHooks<RequestContext>,
  caller: CallerRequest,
  ctx: RequestContext,
  endpoint: ProxyEndpoint<R>,
): Promise<Response> {
  const adapter = ctx.adapter!;
  const target = ctx.target!;
  const request = ctx.request as R;
  const upstreamRequest = endpoint.upstreamRequest(adapter, request, target);
  if (ctx.trace !== null) ctx.trace.sendUpstream(ctx, upstreamRequest.headers);
  else if (ctx.traceparent !== null) {
    upstreamRequest.headers.traceparent = ctx.traceparent;
    if (ctx.tracestate !== null) upstreamRequest.headers.tracestate = ctx.tracestate;
  }

  ctx.sentAt = performance.now();
  // From here on the provider may spend tokens: a crash must still leave a record.
  deps.inflight?.begin(ctx);
  const call = deps.upstream.send(target.credential.baseUrl, upstreamRequest);
  caller.onGone(call);
  const res = await call.sent();
  if (ctx.trace !== null) ctx.trace.upstreamAnswered(res.statusCode);
  if (res.statusCode < 200 || res.statusCode > 299) {
    const body = await res.body(maxErrorBody);
    ctx.providerMs = performance.now() - ctx.sentAt;
    const failure = adapter.failure(res.statusCode, body);
    deps.logger.debug({ requestId: ctx.requestId, upstreamStatus: res.statusCode }, 'provider answered with an error');
    throw new GatewayError(failure.code, failure.message);
  }

  if (!request.stream) {
    const body = await res.body();
    ctx.providerMs = performance.now() - ctx.sentAt;
    ctx.usage = endpoint.usage(adapter, body);
    const checked = checkResponseBody(ctx, body);
    if (!checked.ok) {
      // The provider spent the tokens: they are metered with the refusal.
      meter(deps, ctx, errorCodes[checked.code].status, checked.code);
      return errorResponse(checked, ctx.requestId, limitHeadersOf(deps, ctx));
    }
    meter(deps, ctx, 200, null);
    const headers: Record<string, string> = {
      'content-type': (res.headers['content-type'] as string | undefined) ?? 'application/json',
      'x-request-id': ctx.requestId,
    };
    // After meter: the figures include this request's real cost and tokens.
    if (ctx.limits !== null) addLimitHeaders(deps, ctx, headers);
    return bytesResponse(body, headers);
  }

  ctx.transform = endpoint.stream(adapter, request, target);
  ctx.tokensSoFar = streamTokensSoFar;
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    'x-request-id': ctx.requestId,
  };
  // Sent before the stream runs: the budget still holds this request's worst case.
  if (ctx.limits !== null) addLimitHeaders(deps, ctx, headers);
  return streamResponse(new StreamRelay(res, ctx.transform, hooks, ctx), headers);
}
