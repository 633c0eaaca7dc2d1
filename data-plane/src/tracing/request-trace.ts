// One proxied request's spans: a SERVER span from arrival to the meter, and a CLIENT span for the provider call whose
// id goes to the provider in `traceparent`. Attributes are ids, names, codes and counts only: never the virtual key,
// the provider key, headers or prompt/completion text.
import {
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapSetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { millisToHrTime, type W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import type { RequestContext } from '../pipeline/context.ts';
import type { ProxyEndpoint } from '../pipeline/endpoint.ts';
import type { Finished } from '../usage/meter.ts';
import type { RequestTrace } from './types.ts';

// GenAI attributes are still "development" in the semantic conventions: named here rather than imported from the
// package's unstable entry point (as the package itself advises).
const genAiOperation = 'gen_ai.operation.name';
const genAiProvider = 'gen_ai.provider.name';
const genAiRequestModel = 'gen_ai.request.model';
const genAiInputTokens = 'gen_ai.usage.input_tokens';
const genAiOutputTokens = 'gen_ai.usage.output_tokens';

const headerSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

interface TraceSource {
  readonly tracer: Tracer;
  readonly propagator: W3CTraceContextPropagator;
}

export class OtelRequestTrace implements RequestTrace {
  readonly #source: TraceSource;
  readonly #server: Span;
  readonly #operation: string;
  /**
   * Wall clock minus performance.now(), read once: every time of both spans is a performance.now() reading plus this,
   * so they order exactly (each span anchoring itself to Date.now() would skew them by up to a millisecond).
   */
  readonly #epochOffset: number;
  #client: Span | null = null;
  #upstreamStatus = 0;

  constructor(source: TraceSource, parent: Context, endpoint: ProxyEndpoint, t0: number) {
    this.#source = source;
    this.#operation = endpoint.operation;
    this.#epochOffset = Date.now() - performance.now();
    this.#server = source.tracer.startSpan(
      `POST ${endpoint.route}`,
      {
        kind: SpanKind.SERVER,
        startTime: this.#time(t0),
        attributes: { [ATTR_HTTP_REQUEST_METHOD]: 'POST', [ATTR_HTTP_ROUTE]: endpoint.route },
      },
      parent,
    );
  }

  #time(performanceMs: number) {
    return millisToHrTime(performanceMs + this.#epochOffset);
  }

  sendUpstream(ctx: RequestContext, headers: Record<string, string>): void {
    const client = this.#source.tracer.startSpan(
      `${this.#operation} ${ctx.upstreamModel}`,
      {
        kind: SpanKind.CLIENT,
        startTime: this.#time(performance.now()),
        attributes: {
          [genAiOperation]: this.#operation,
          [genAiProvider]: ctx.provider ?? '',
          [genAiRequestModel]: ctx.upstreamModel ?? '',
        },
      },
      trace.setSpan(ROOT_CONTEXT, this.#server),
    );
    this.#client = client;
    this.#source.propagator.inject(trace.setSpan(ROOT_CONTEXT, client), headers, headerSetter);
  }

  upstreamAnswered(status: number): void {
    this.#upstreamStatus = status;
  }

  end(ctx: RequestContext, status: number, errorCode: string | null, done: Finished): void {
    const client = this.#client;
    if (client !== null) this.#endClient(client, ctx, errorCode);
    const server = this.#server;
    if (server.isRecording()) {
      const key = ctx.key;
      server.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      server.setAttribute('gateway.request_id', ctx.requestId);
      server.setAttribute('gateway.stream', ctx.stream);
      if (key !== null) {
        server.setAttribute('gateway.org.id', key.org.id);
        if (key.team) server.setAttribute('gateway.team.id', key.team.id);
        if (key.user) server.setAttribute('gateway.user.id', key.user.id);
        server.setAttribute('gateway.key.id', key.key.id);
      }
      if (ctx.moduleId !== null) server.setAttribute('gateway.module.id', ctx.moduleId);
      // The record's model is the caller's text made storable (cut, control characters replaced).
      if (done.record !== null && done.record.model !== '') server.setAttribute(genAiRequestModel, done.record.model);
      if (ctx.provider !== null) server.setAttribute(genAiProvider, ctx.provider);
      if (ctx.upstreamModel !== null) server.setAttribute('gateway.upstream_model', ctx.upstreamModel);
      if (ctx.target !== null) server.setAttribute('gateway.credential.id', ctx.target.credential.id);
      if (ctx.usage !== null) {
        server.setAttribute(genAiInputTokens, ctx.usage.inputTokens);
        server.setAttribute(genAiOutputTokens, ctx.usage.outputTokens);
      }
      if (done.costUsd > 0) server.setAttribute('gateway.cost_usd', done.costUsd);
      if (errorCode !== null) {
        server.setAttribute(ATTR_ERROR_TYPE, errorCode);
        server.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
      }
    }
    server.end(this.#time(performance.now()));
  }

  #endClient(client: Span, ctx: RequestContext, errorCode: string | null): void {
    const upstream = this.#upstreamStatus;
    if (client.isRecording()) {
      if (upstream !== 0) client.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, upstream);
      if (ctx.usage !== null) {
        client.setAttribute(genAiInputTokens, ctx.usage.inputTokens);
        client.setAttribute(genAiOutputTokens, ctx.usage.outputTokens);
      }
      // Failed at the provider: it answered non-2xx, or the connection or its stream failed (provider_* codes).
      const failed =
        (upstream !== 0 && (upstream < 200 || upstream > 299)) || errorCode?.startsWith('provider_') === true;
      if (failed) {
        const type = errorCode ?? String(upstream);
        client.setAttribute(ATTR_ERROR_TYPE, type);
        client.setStatus({ code: SpanStatusCode.ERROR, message: type });
      }
    }
    // Ends when the provider's last byte arrived (providerMs), not when the books were closed.
    client.end(this.#time(ctx.providerMs > 0 ? ctx.sentAt + ctx.providerMs : performance.now()));
  }
}
