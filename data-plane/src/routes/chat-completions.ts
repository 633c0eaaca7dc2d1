// POST /v1/chat/completions: authenticate, validate, authorize, route, relay (JSON or SSE), meter.
import { randomUUID } from 'node:crypto';
import type { H3Event } from 'h3';
import { FastResponse } from 'srvx/node';
import { errorResponse, GatewayError, toGatewayError } from '../errors.ts';
import { presentedApiKey } from '../http/api-key.ts';
import { clientAbortSignal } from '../http/client-abort.ts';
import { parseJsonBody } from '../http/json-body.ts';
import { readBody } from '../http/read-body.ts';
import { bytesResponse, streamResponse } from '../http/responses.ts';
import { authenticate } from '../policy/authenticate.ts';
import { authorize, authorizeKey } from '../policy/authorize.ts';
import type { Denied } from '../policy/decision.ts';
import { attributeModule, moduleHeader } from '../policy/module.ts';
import { route } from '../policy/route.ts';
import { providerFor } from '../providers/registry.ts';
import type { OrgModuleEntry, SnapshotStore } from '../snapshot/store.ts';
import { ClientGoneError } from '../upstream/errors.ts';
import { readAll } from '../upstream/pools.ts';
import { StreamRelay } from '../upstream/relay.ts';
import { beginExchange, type Exchange, finishExchange } from '../usage/meter.ts';
import { validateChatRequest } from './chat-request.ts';
import type { AppDeps } from './deps.ts';

/** nginx's "client closed request": what the caller got is nothing; recorded for the books only. */
const clientClosedStatus = 499;
/** Provider error bodies are only read for their message. */
const maxErrorBody = 64 * 1024;

const denied = (d: Denied) => new GatewayError(d.code, d.message, d.param);

export function chatCompletions(deps: AppDeps) {
  const random = deps.random ?? Math.random;

  function finish(ex: Exchange, status: number, errorCode: string | null): void {
    if (ex.finished) return;
    deps.inflight?.end(ex);
    const done = finishExchange(ex, deps.nodeId, status, errorCode);
    deps.metrics.observe(done.labels, {
      latencySeconds: done.latencyMs / 1000,
      overheadSeconds: done.overheadMs / 1000,
      inputTokens: done.record?.inputTokens ?? 0,
      outputTokens: done.record?.outputTokens ?? 0,
      costUsd: done.costUsd,
    });
    if (done.record) deps.usage.record(done.record);
  }

  function fail(ex: Exchange, err: GatewayError): Response {
    finish(ex, err.status, err.code);
    return errorResponse(err, ex.requestId);
  }

  async function forward(
    event: H3Event,
    store: SnapshotStore,
    ex: Exchange,
    attribution: OrgModuleEntry | null,
  ): Promise<Response> {
    const contentType = event.req.headers.get('content-type');
    if (contentType && !contentType.toLowerCase().includes('json')) {
      throw new GatewayError('caller_unsupported_media_type', 'Send the request body as application/json.');
    }
    const parsed = parseJsonBody(await readBody(event, deps.maxBodyBytes));
    const model = (parsed as { model?: unknown } | null)?.model;
    if (typeof model === 'string') ex.model = model;

    const valid = validateChatRequest(parsed);
    if (!valid.ok) throw denied(valid);
    const request = valid.request;
    ex.stream = request.stream;

    const allowed = authorize(store, ex.key!, request.model, Date.now(), attribution);
    if (!allowed.ok) throw denied(allowed);
    ex.modelEntry = allowed.model;

    const target = route(allowed.model, random());
    ex.provider = target.provider;
    ex.upstreamModel = target.deployment.upstreamModel;
    const provider = providerFor(target.provider);
    const upstreamRequest = provider.chatRequest(request, target.deployment.upstreamModel, target.credential.apiKey);

    const sentAt = performance.now();
    // From here on the provider may spend tokens: a crash must still leave a record.
    deps.inflight?.begin(ex);
    const res = await deps.upstream.send(target.credential.baseUrl, upstreamRequest, clientAbortSignal(event));
    if (res.statusCode < 200 || res.statusCode > 299) {
      const body = await readAll(res.body, maxErrorBody);
      ex.providerMs = performance.now() - sentAt;
      const failure = provider.failure(res.statusCode, body);
      deps.logger.debug({ requestId: ex.requestId, upstreamStatus: res.statusCode }, 'provider answered with an error');
      throw new GatewayError(failure.code, failure.message);
    }

    if (!request.stream) {
      const body = await readAll(res.body);
      ex.providerMs = performance.now() - sentAt;
      ex.usage = provider.chatUsage(body);
      finish(ex, 200, null);
      return bytesResponse(body, {
        'content-type': (res.headers['content-type'] as string | undefined) ?? 'application/json',
        'x-request-id': ex.requestId,
      });
    }

    const transform = provider.chatStream({ keepUsageChunk: request.includeUsage });
    ex.tokensSoFar = () => transform.usage ?? { inputTokens: 0, outputTokens: transform.events, cachedInputTokens: 0 };
    const relay = new StreamRelay(res.body, transform, (outcome) => {
      ex.providerMs = performance.now() - sentAt;
      ex.usage = transform.usage;
      // A stream that fails midway already sent 200; it is recorded as the error it ended with.
      if (outcome.error) {
        deps.logger.debug({ requestId: ex.requestId, err: outcome.error.cause }, 'provider stream failed midway');
        finish(ex, outcome.error.status, outcome.error.code);
      } else finish(ex, outcome.clientGone ? clientClosedStatus : 200, null);
    });
    return streamResponse(relay, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      'x-request-id': ex.requestId,
    });
  }

  return async function chatCompletionsHandler(event: H3Event): Promise<Response> {
    const ex = beginExchange(randomUUID());
    if (deps.lifecycle.shuttingDown) {
      return fail(
        ex,
        new GatewayError('gateway_shutting_down', 'The gateway is shutting down; retry on another node.'),
      );
    }
    const store = deps.stores.current;
    if (!store) return fail(ex, new GatewayError('gateway_not_ready', 'The gateway has no configuration yet.'));
    const auth = authenticate(store, presentedApiKey(event.req.headers));
    if (!auth.ok) return fail(ex, denied(auth));
    ex.key = auth.entry;
    // Before the body is read: a key that may not act, or a request that cannot be attributed, costs nothing more.
    const active = authorizeKey(auth.entry, Date.now());
    if (!active.ok) return fail(ex, denied(active));
    const attributed = attributeModule(store, auth.entry, event.req.headers.get(moduleHeader));
    if (!attributed.ok) return fail(ex, denied(attributed));
    ex.moduleId = attributed.attribution?.module.id ?? null;

    try {
      return await forward(event, store, ex, attributed.attribution);
    } catch (err) {
      if (err instanceof ClientGoneError) {
        finish(ex, clientClosedStatus, null);
        return new FastResponse(null, { status: clientClosedStatus });
      }
      const failure = toGatewayError(err);
      if (failure.code === 'gateway_internal_error') {
        deps.logger.error({ err, requestId: ex.requestId }, 'chat completion failed');
      } else if (failure.code.startsWith('provider_')) {
        deps.logger.debug({ err: failure.cause, requestId: ex.requestId, code: failure.code }, 'provider failure');
      }
      return fail(ex, failure);
    }
  };
}
