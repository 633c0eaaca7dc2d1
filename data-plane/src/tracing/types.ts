// What the request path sees of tracing: two small interfaces, no OpenTelemetry import. With tracing off the pipeline
// holds null instead of a Tracing, and every request pays one null check per hook (begin, upstream, end).
import type { HeaderReader } from '../http/caller.ts';
import type { RequestContext } from '../pipeline/context.ts';
import type { ProxyEndpoint } from '../pipeline/endpoint.ts';
import type { Finished } from '../usage/meter.ts';

export interface Tracing {
  /**
   * Starts the server span of a proxied request (at `t0`, its performance.now() on arrival): a child of the caller's
   * `traceparent` when it sent a valid one.
   */
  begin(headers: HeaderReader, endpoint: ProxyEndpoint, t0: number): RequestTrace;
  /** Exports what is queued and stops; resolves within `timeoutMs` whatever the collector does. */
  shutdown(timeoutMs: number): Promise<void>;
}

/** One request's spans. Never holds the key's secret, headers or the prompt: only ids, names, codes and counts. */
export interface RequestTrace {
  /** Starts the client span of the provider call and writes its `traceparent` (and `tracestate`) into `headers`. */
  sendUpstream(ctx: RequestContext, headers: Record<string, string>): void;
  /** The provider's HTTP status, once its response headers arrived. */
  upstreamAnswered(status: number): void;
  /** Ends the spans with the outcome the meter closed the books with (called exactly once, from meter). */
  end(ctx: RequestContext, status: number, errorCode: string | null, done: Finished): void;
}
