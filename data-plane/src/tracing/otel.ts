// OpenTelemetry tracing of the request path. Imported dynamically by main.ts only when an OTLP endpoint is set, so
// that with tracing off no OpenTelemetry module is ever loaded. No global provider, context manager or
// instrumentation is installed: spans are parented explicitly, which costs no async-hooks on the request path.
import { ROOT_CONTEXT, type TextMapGetter, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { HeaderReader } from '../http/caller.ts';
import type { Logger } from '../logger.ts';
import type { ProxyEndpoint } from '../pipeline/endpoint.ts';
import { WatchedExporter } from './export-watch.ts';
import { OtelRequestTrace } from './request-trace.ts';
import type { SamplerName, TracingSettings } from './settings.ts';
import type { RequestTrace, Tracing } from './types.ts';

/** Only W3C trace context is read (the propagator asks for its fields by name), so only those are listed. */
const traceFields = ['traceparent', 'tracestate'];
const headersGetter: TextMapGetter<HeaderReader> = {
  get: (carrier, key) => carrier.get(key) ?? undefined,
  keys: (carrier) => traceFields.filter((field) => carrier.get(field) !== null),
};

function sampler(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

async function otlpExporter(settings: TracingSettings): Promise<SpanExporter> {
  const options = {
    url: settings.url,
    headers: settings.headers,
    timeoutMillis: settings.timeoutMs,
    compression: settings.compression === 'gzip' ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE,
  };
  // Only the exporter of the configured protocol is loaded.
  if (settings.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(options);
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(options);
}

class OtelTracing implements Tracing {
  readonly tracer: Tracer;
  readonly propagator = new W3CTraceContextPropagator();
  readonly #provider: TracerProvider;
  readonly #logger: Logger;

  constructor(provider: TracerProvider, logger: Logger) {
    this.#provider = provider;
    this.#logger = logger;
    this.tracer = provider.getTracer('llm-gateway-data-plane');
  }

  begin(headers: HeaderReader, endpoint: ProxyEndpoint, t0: number): RequestTrace {
    return new OtelRequestTrace(this, this.propagator.extract(ROOT_CONTEXT, headers, headersGetter), endpoint, t0);
  }

  async shutdown(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
      timer.unref();
    });
    const done = this.#provider.shutdown().then(
      () => false,
      (err: unknown) => {
        this.#logger.warn({ err: (err as Error)?.message }, 'could not export the last spans');
        return false;
      },
    );
    if (await Promise.race([done, timedOut])) {
      this.#logger.warn({ timeoutMs }, 'trace export did not finish in time; the last spans are dropped');
    }
    clearTimeout(timer);
  }
}

/** Builds the tracer provider: OTLP exporter behind a bounded BatchSpanProcessor (full queue = spans dropped). */
export async function startTracing(
  settings: TracingSettings,
  meta: { nodeId: string; version: string },
  logger: Logger,
): Promise<Tracing> {
  const exporter = new WatchedExporter(await otlpExporter(settings), logger);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: settings.serviceName,
      [ATTR_SERVICE_VERSION]: meta.version,
      [ATTR_SERVICE_INSTANCE_ID]: meta.nodeId,
    }),
    sampler: sampler(settings.sampler, settings.samplerRatio),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter,
        scheduledDelayMillis: settings.scheduleDelayMs,
        maxQueueSize: settings.maxQueueSize,
        maxExportBatchSize: settings.maxExportBatchSize,
        exportTimeoutMillis: settings.timeoutMs,
      }),
    ],
  });
  return new OtelTracing(provider, logger);
}
