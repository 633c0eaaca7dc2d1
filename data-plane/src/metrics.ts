// Prometheus metrics for /metrics. Accumulation is plain arithmetic on one cached series per label set:
// prom-client's labelled children still validate and hash their labels on every call, too slow for the
// request path. prom-client keeps the registry, the exposition format and the process metrics.
import client from 'prom-client';

export interface MetricLabels {
  org: string;
  team: string;
  model: string;
  provider: string;
  status: number;
  user: string;
  key: string;
}

export interface RequestObservation {
  latencySeconds: number;
  overheadSeconds: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const overheadBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];
/** Beyond this many label sets, new ones are folded into one overflow series (bounded memory). */
const maxSeries = 50_000;

interface Series {
  readonly labels: Record<string, string>;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  /** Non-cumulative bucket counts; the last slot is +Inf. */
  readonly duration: Float64Array;
  durationSum: number;
  readonly overhead: Float64Array;
  overheadSum: number;
}

type MetricValue = { value: number; labels: Record<string, string | number>; metricName?: string };

/** A metric object the prom-client Registry can expose (it only calls get() and reset()). */
interface ExposedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; values: MetricValue[]; aggregator: 'sum' }>;
  reset(): void;
}

function bucketIndex(bounds: number[], value: number): number {
  for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]) return i;
  return bounds.length;
}

/** Resolution of the event-loop lag histogram, ms. */
export const eventLoopSampleMs = 100;

export class GatewayMetrics {
  readonly registry = new client.Registry();
  /** Usage records the control plane rejected (logged with their reason and kept in the dead-letter file). */
  readonly usageRejected: client.Counter;
  /** Read at each scrape for the usage gauges (backlog, dead letters); set once the spool is open. */
  usageSource: (() => { backlog: number; deadLetterRecords: number }) | null = null;
  /** Read at each scrape for the config gauges: the applied snapshot, or null before the first one. */
  configSource: (() => { version: number; appliedAt: number } | null) | null = null;
  /** Usage records dropped before reaching the spool, by reason (`spool_full`, `spool_unwritable`). */
  readonly usageDropped: client.Counter<'reason'>;
  /** Connections closed as soon as they were accepted because MAX_CONNECTIONS were open. */
  readonly connectionsRefused: client.Counter;
  readonly #userLabels: boolean;
  readonly #keyLabels: boolean;
  readonly #series = new Map<string, Series>();

  constructor(options: { userLabels: boolean; keyLabels: boolean; defaultMetrics?: boolean }) {
    this.#userLabels = options.userLabels;
    this.#keyLabels = options.keyLabels;
    const counter = (name: string, help: string, values: () => MetricValue[]) =>
      this.#expose(name, help, 'counter', values);
    counter('gateway_requests_total', 'Requests handled by the data plane.', () =>
      this.#each((s) => [{ value: s.requests, labels: s.labels }]),
    );
    counter('gateway_tokens_total', 'Tokens metered, by direction.', () =>
      this.#each((s) => [
        { value: s.tokensIn, labels: { ...s.labels, direction: 'input' } },
        { value: s.tokensOut, labels: { ...s.labels, direction: 'output' } },
      ]),
    );
    counter('gateway_cost_usd_total', 'Cost in USD at snapshot prices.', () =>
      this.#each((s) => [{ value: s.cost, labels: s.labels }]),
    );
    this.#histogram(
      'gateway_request_duration_seconds',
      'Whole request time as seen by the data plane.',
      durationBuckets,
      (s) => [s.duration, s.durationSum],
    );
    this.#histogram(
      'gateway_overhead_seconds',
      'Part of the request time spent in the gateway itself (not waiting on the provider).',
      overheadBuckets,
      (s) => [s.overhead, s.overheadSum],
    );
    // Incremented off the request path (per answered batch, per spool write tick): plain prom-client is fine.
    this.usageRejected = new client.Counter({
      name: 'gateway_usage_rejected_total',
      help: 'Usage records the control plane rejected; each is logged and kept in DP_STATE_DIR/usage-dead-letter.jsonl.',
      registers: [this.registry],
    });
    const usage = () => this.usageSource?.();
    new client.Gauge({
      name: 'gateway_usage_dead_letter_records',
      help: 'Usage records in the dead-letter file (DP_STATE_DIR/usage-dead-letter.jsonl), earlier runs included.',
      registers: [this.registry],
      collect() {
        const source = usage();
        if (source) this.set(source.deadLetterRecords);
      },
    });
    const config = () => this.configSource?.();
    new client.Gauge({
      name: 'gateway_config_version',
      help: 'Version of the config snapshot this node serves from (0 before the first); compare across nodes for lag.',
      registers: [this.registry],
      collect() {
        this.set(config()?.version ?? 0);
      },
    });
    new client.Gauge({
      name: 'gateway_config_applied_timestamp_seconds',
      help: 'When this node last applied a config snapshot (Unix seconds; 0 before the first).',
      registers: [this.registry],
      collect() {
        this.set((config()?.appliedAt ?? 0) / 1000);
      },
    });
    new client.Gauge({
      name: 'gateway_usage_backlog_records',
      help: 'Usage records not yet acknowledged by the control plane (on disk in the spool or waiting in memory).',
      registers: [this.registry],
      collect() {
        const source = usage();
        if (source) this.set(source.backlog);
      },
    });
    this.usageDropped = new client.Counter({
      name: 'gateway_usage_dropped_total',
      help: 'Usage records dropped because the spool was full (USAGE_SPOOL_MAX_BYTES) or could not be written.',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.connectionsRefused = new client.Counter({
      name: 'gateway_connections_refused_total',
      help: 'Connections closed as soon as they were accepted because MAX_CONNECTIONS connections were open.',
      registers: [this.registry],
    });
    if (options.defaultMetrics) {
      client.collectDefaultMetrics({
        register: this.registry,
        prefix: 'gateway_process_',
        // The event-loop lag histogram samples on a timer: prom-client's 10 ms default wakes an idle process 100
        // times a second (most of its idle CPU, docs/performance.md); 100 ms still sees any stall that matters.
        eventLoopMonitoringPrecision: eventLoopSampleMs,
      });
    }
  }

  observe(l: MetricLabels, o: RequestObservation): void {
    const s = this.#seriesFor(l);
    s.requests++;
    s.tokensIn += o.inputTokens;
    s.tokensOut += o.outputTokens;
    s.cost += o.costUsd;
    s.duration[bucketIndex(durationBuckets, o.latencySeconds)]++;
    s.durationSum += o.latencySeconds;
    s.overhead[bucketIndex(overheadBuckets, o.overheadSeconds)]++;
    s.overheadSum += o.overheadSeconds;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #seriesFor(l: MetricLabels): Series {
    let key = `${l.org}\u0001${l.team}\u0001${l.model}\u0001${l.provider}\u0001${l.status}`;
    if (this.#userLabels) key += `\u0001${l.user}`;
    if (this.#keyLabels) key += `\u0001${l.key}`;
    let s = this.#series.get(key);
    if (s) return s;
    if (this.#series.size >= maxSeries) {
      return this.#seriesFor({ org: '_overflow', team: '', model: '', provider: '', status: 0, user: '', key: '' });
    }
    const labels: Record<string, string> = {
      org: l.org,
      team: l.team,
      model: l.model,
      provider: l.provider,
      status: String(l.status),
    };
    if (this.#userLabels) labels.user = l.user;
    if (this.#keyLabels) labels.key = l.key;
    s = {
      labels,
      requests: 0,
      tokensIn: 0,
      tokensOut: 0,
      cost: 0,
      duration: new Float64Array(durationBuckets.length + 1),
      durationSum: 0,
      overhead: new Float64Array(overheadBuckets.length + 1),
      overheadSum: 0,
    };
    this.#series.set(key, s);
    return s;
  }

  #each(values: (s: Series) => MetricValue[]): MetricValue[] {
    const out: MetricValue[] = [];
    for (const s of this.#series.values()) out.push(...values(s));
    return out;
  }

  #expose(name: string, help: string, type: 'counter' | 'histogram', values: () => MetricValue[]): void {
    const metric: ExposedMetric = {
      name,
      help,
      type,
      aggregator: 'sum',
      get: async () => ({ name, help, type, values: values(), aggregator: 'sum' }),
      reset: () => this.#series.clear(),
    };
    this.registry.registerMetric(metric as unknown as client.Metric);
  }

  #histogram(name: string, help: string, bounds: number[], pick: (s: Series) => [Float64Array, number]): void {
    this.#expose(name, help, 'histogram', () =>
      this.#each((s) => {
        const [counts, sum] = pick(s);
        const out: MetricValue[] = [];
        let cumulative = 0;
        for (let i = 0; i < bounds.length; i++) {
          cumulative += counts[i];
          out.push({ metricName: `${name}_bucket`, value: cumulative, labels: { le: bounds[i], ...s.labels } });
        }
        cumulative += counts[bounds.length];
        out.push({ metricName: `${name}_bucket`, value: cumulative, labels: { le: '+Inf', ...s.labels } });
        out.push({ metricName: `${name}_sum`, value: sum, labels: s.labels });
        out.push({ metricName: `${name}_count`, value: cumulative, labels: s.labels });
        return out;
      }),
    );
  }
}
