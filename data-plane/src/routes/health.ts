// Liveness (/healthz), readiness (/readyz: a snapshot is applied) and Prometheus (/metrics).
import type { H3Event } from 'h3';
import { errorResponse, GatewayError } from '../errors.ts';
import { mayReadMetrics } from '../http/metrics-access.ts';
import { jsonResponse, textResponse } from '../http/responses.ts';
import type { AppDeps } from './deps.ts';

export function healthz(): Response {
  return jsonResponse({ status: 'ok' });
}

export function readyz(deps: AppDeps) {
  return function readyzHandler(): Response {
    if (deps.lifecycle.shuttingDown) {
      return errorResponse(new GatewayError('gateway_shutting_down', 'The gateway is shutting down.'));
    }
    const store = deps.stores.current;
    if (!store) return errorResponse(new GatewayError('gateway_not_ready', 'The gateway has no configuration yet.'));
    return jsonResponse({ status: 'ready', version: store.version, hash: store.hash, source: store.source });
  };
}

export function metrics(deps: AppDeps) {
  return async function metricsHandler(event: H3Event): Promise<Response> {
    if (!mayReadMetrics(event, deps.metricsToken)) {
      const how = deps.metricsToken
        ? 'Send the METRICS_TOKEN as a bearer token.'
        : 'Without METRICS_TOKEN, /metrics answers callers on this host only.';
      return errorResponse(new GatewayError('caller_metrics_forbidden', `Not allowed to read metrics. ${how}`));
    }
    return textResponse(await deps.metrics.metrics(), deps.metrics.contentType);
  };
}
