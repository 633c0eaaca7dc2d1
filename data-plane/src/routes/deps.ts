// What the routes need from the process, injected so that tests can build an app around fakes.
import type { UsageRecord } from '@gw/schema';
import type { Logger } from '../logger.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { LimitServices } from '../pipeline/budget.ts';
import type { StoreHolder } from '../snapshot/store.ts';
import type { Tracing } from '../tracing/types.ts';
import type { Upstream } from '../upstream/pools.ts';
import type { Exchange } from '../usage/meter.ts';

export interface Lifecycle {
  /** Set on SIGTERM: new requests get 503 gateway_shutting_down, readiness fails. */
  shuttingDown: boolean;
}

export interface UsageSink {
  record(record: UsageRecord): void;
}

/** Where requests forwarded to a provider are noted until they finish (the in-flight journal). */
export interface InflightSink {
  begin(ex: Exchange): void;
  end(ex: Exchange): void;
}

export interface AppDeps extends LimitServices {
  readonly nodeId: string;
  /** Random per process start (LeaseRequest.bootId); every usage record carries it. */
  readonly bootId: string;
  readonly maxBodyBytes: number;
  readonly stores: StoreHolder;
  readonly upstream: Upstream;
  readonly usage: UsageSink;
  /** Absent in tests that do not exercise crash recovery. */
  readonly inflight?: InflightSink;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  readonly lifecycle: Lifecycle;
  /** Bearer token for /metrics; unset = loopback callers only. */
  readonly metricsToken?: string | null;
  /** OpenTelemetry traces of proxied requests; absent or null = off (no OpenTelemetry module is loaded then). */
  readonly tracing?: Tracing | null;
  /** Source of randomness for weighted routing, in [0, 1). */
  readonly random?: () => number;
  /** Called for every error that reached the central handler without being handled (tests fail on it). */
  readonly onUnhandledError?: (err: unknown) => void;
}
