// The pipeline every endpoint runs: admit -> authorize -> budget -> rate limit -> request guardrails -> route ->
// forward -> response guardrails -> meter. One Pipeline per app; per request only its RequestContext is allocated
// for policy, and synchronous stages are plain calls (no promise per stage). Described in docs/data-plane.md.
import { randomUUID } from 'node:crypto';
import { errorCodes } from '@gw/schema';
import { FastResponse } from 'srvx/node';
import { errorResponse, GatewayError, toGatewayError } from '../errors.ts';
import { presentedApiKey } from '../http/api-key.ts';
import type { CallerRequest, HeaderReader } from '../http/caller.ts';
import { parseJsonBody } from '../http/json-body.ts';
import { type Decision, type Denied, deny, type Pending } from '../policy/decision.ts';
import { moduleHeader } from '../policy/module.ts';
import type { AppDeps } from '../routes/deps.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import type { Tracing } from '../tracing/types.ts';
import { ClientGoneError } from '../upstream/errors.ts';
import type { RelayHooks, RelayOutcome } from '../upstream/relay.ts';
import { requireJsonContentType } from './body.ts';
import { findLimits, type LimitServices, limitHeadersOf, reserveBudget } from './budget.ts';
import { type EndpointRequest, RequestContext } from './context.ts';
import type { LocalEndpoint, ProxyEndpoint } from './endpoint.ts';
import { forward } from './forward.ts';
import { checkRequest, checkResponseChunk } from './guardrails.ts';
import { meter } from './meter.ts';
import { acquireRateLimit } from './rate-limit.ts';
import { admit, authorize, route } from './stages.ts';

/** nginx's "client closed request": what the caller got is nothing; recorded for the books only. */
export const clientClosedStatus = 499;

const shuttingDown = deny('gateway_shutting_down', 'The gateway is shutting down; retry on another node.');
const notReady = deny('gateway_not_ready', 'The gateway has no configuration yet.');

/** What the caller presented, read once from the transport. */
function readCaller(ctx: RequestContext, headers: HeaderReader): void {
  ctx.apiKey = presentedApiKey(headers);
  ctx.moduleHeader = headers.get(moduleHeader);
}

/**
 * Tracing off: the caller's trace context is kept for the provider as it came (one header lookup when none was sent),
 * so that a trace the app started still reaches the provider through the gateway.
 */
function keepTraceContext(ctx: RequestContext, headers: HeaderReader): void {
  const traceparent = headers.get('traceparent');
  if (traceparent === null) return;
  ctx.traceparent = traceparent;
  ctx.tracestate = headers.get('tracestate');
}

/**
 * The stages between the body and forward, in their order; the first refusal wins. `ctx.key` and `ctx.model` are set
 * (admit passed, the body was read), and `ctx.routeDraw` drawn. `limits`: the budget and rate-limit state (null:
 * neither stage runs, as in tests of the other stages). `Pending` only when the budget stage must wait for a lease
 * call: `decideAfterWait` then finishes the decision.
 */
export function decide(
  store: SnapshotStore,
  ctx: RequestContext,
  limits: LimitServices | null = null,
): Decision | Pending {
  const d = authorize(store, ctx);
  if (!d.ok) return d;
  if (limits !== null) {
    const b = reserveBudget(limits, store, ctx);
    if (b.ok !== true) return b;
  }
  return decideAfterBudget(store, ctx, limits);
}

/** The stages after the budget's. */
function decideAfterBudget(store: SnapshotStore, ctx: RequestContext, limits: LimitServices | null): Decision {
  let d: Decision;
  if (limits !== null) {
    d = acquireRateLimit(limits, store, ctx);
    if (!d.ok) return d;
  }
  d = checkRequest(store, ctx);
  if (!d.ok) return d;
  return route(store, ctx);
}

/** The rest of a decision whose budget stage waited for a lease call. */
export async function decideAfterWait(
  store: SnapshotStore,
  ctx: RequestContext,
  limits: LimitServices | null,
  pending: Pending,
): Promise<Decision> {
  const d = await pending.decision;
  return d.ok ? decideAfterBudget(store, ctx, limits) : d;
}

export class Pipeline implements RelayHooks<RequestContext> {
  readonly #deps: AppDeps;
  readonly #random: () => number;
  /** null = tracing off: the request path then only checks this once per request. */
  readonly #tracing: Tracing | null;

  constructor(deps: AppDeps) {
    this.#deps = deps;
    this.#random = deps.random ?? Math.random;
    this.#tracing = deps.tracing ?? null;
  }

  /** An endpoint answered from the snapshot (GET /v1/models): a config to serve from, then admit. Not metered. */
  answer(headers: HeaderReader, endpoint: LocalEndpoint): Response {
    const store = this.#deps.stores.current;
    if (!store) return errorResponse(notReady);
    const ctx = new RequestContext('');
    readCaller(ctx, headers);
    const admitted = admit(store, ctx);
    if (!admitted.ok) return errorResponse(admitted);
    return endpoint.answer(store, ctx);
  }

  /** An endpoint that forwards to a provider: every stage, and the request metered exactly once. */
  async proxy<R extends EndpointRequest>(caller: CallerRequest, endpoint: ProxyEndpoint<R>): Promise<Response> {
    const deps = this.#deps;
    const ctx = new RequestContext(randomUUID());
    // First, so that every refusal below is in the trace too.
    if (this.#tracing !== null) ctx.trace = this.#tracing.begin(caller, endpoint, ctx.t0);
    else keepTraceContext(ctx, caller);
    if (deps.lifecycle.shuttingDown) return this.#refuse(ctx, shuttingDown);
    const store = deps.stores.current;
    if (!store) return this.#refuse(ctx, notReady);
    readCaller(ctx, caller);
    // Before the body is read: a key that may not act, or a request that cannot be attributed, costs nothing more.
    const admitted = admit(store, ctx);
    if (!admitted.ok) return this.#refuse(ctx, admitted);
    findLimits(store, ctx);
    try {
      requireJsonContentType(caller.get('content-type'));
      // Awaited here, not in a helper: one promise per body, as the request path allows.
      const body = await caller.body(deps.maxBodyBytes);
      ctx.bodyBytes = body.length;
      const parsed = parseJsonBody(body);
      const model = (parsed as { model?: unknown } | null)?.model;
      // Recorded as sent, also when the request is refused.
      if (typeof model === 'string') ctx.model = model;
      const valid = endpoint.validate(parsed);
      if (!valid.ok) return this.#refuse(ctx, valid);
      ctx.request = valid.request;
      ctx.stream = valid.request.stream;
      ctx.routeDraw = this.#random();
      let decided = decide(store, ctx, deps);
      // Only a request that must wait for a budget lease call awaits here.
      if (decided.ok === 'pending') decided = await decideAfterWait(store, ctx, deps, decided);
      if (!decided.ok) return this.#refuse(ctx, decided);
      return await forward(deps, this, caller, ctx, endpoint);
    } catch (err) {
      if (err instanceof ClientGoneError) {
        meter(deps, ctx, clientClosedStatus, null);
        return new FastResponse(null, { status: clientClosedStatus });
      }
      const failure = toGatewayError(err);
      if (failure.code === 'gateway_internal_error') {
        deps.logger.error({ err, requestId: ctx.requestId }, `${endpoint.name} failed`);
      } else if (failure.code.startsWith('provider_')) {
        deps.logger.debug({ err: failure.cause, requestId: ctx.requestId, code: failure.code }, 'provider failure');
      }
      meter(deps, ctx, failure.status, failure.code);
      return errorResponse(failure, ctx.requestId, limitHeadersOf(deps, ctx));
    }
  }

  /** A refusal before forward: metered (with a usage record once the key is known) and answered. */
  #refuse(ctx: RequestContext, refusal: Denied): Response {
    meter(this.#deps, ctx, errorCodes[refusal.code].status, refusal.code);
    return errorResponse(refusal, ctx.requestId, limitHeadersOf(this.#deps, ctx));
  }

  /** Response guardrails on each piece of a stream. */
  relayChunk(ctx: RequestContext, out: Buffer): GatewayError | null {
    const d = checkResponseChunk(ctx, out);
    return d.ok ? null : new GatewayError(d.code, d.message, d.param);
  }

  /**
   * A streamed answer ended: a stream that fails midway already sent 200 and is recorded as the error it ended with.
   * One that ended without the provider's usage (cut by the caller, the provider or a shutdown) is charged for its
   * counted prompt and the text it relayed.
   */
  relayDone(ctx: RequestContext, outcome: RelayOutcome): void {
    ctx.providerMs = performance.now() - ctx.sentAt;
    const transform = ctx.transform;
    ctx.usage = transform === null ? null : (transform.usage ?? transform.countedUsage());
    if (outcome.error) {
      this.#deps.logger.debug({ requestId: ctx.requestId, err: outcome.error.cause }, 'provider stream failed midway');
      meter(this.#deps, ctx, outcome.error.status, outcome.error.code);
    } else meter(this.#deps, ctx, outcome.clientGone ? clientClosedStatus : 200, null);
  }
}
