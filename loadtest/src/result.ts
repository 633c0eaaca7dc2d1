// What one run against one target measured: outcomes, HDR latency histograms, errors grouped by status and code.
import { build, type Histogram } from 'hdr-histogram-js';
import type { Failure } from './wire.ts';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface ErrorGroup {
  status: number;
  code: string;
  count: number;
  /** The first message seen for this group. */
  example: string;
}

export interface TargetResult {
  name: string;
  url: string;
  api: string;
  mode: 'closed-loop' | 'open-loop';
  stream: boolean;
  concurrency: number;
  /** Open loop: the planned rate (requests/s). */
  rate: number | null;
  sent: number;
  ok: number;
  failed: number;
  /** Percent of sent requests that succeeded. */
  successRate: number;
  elapsedSeconds: number;
  /** Completed requests (ok or not) per second of the run. */
  requestsPerSecond: number;
  okPerSecond: number;
  latencyMs: Percentiles | null;
  /** Streams only: time to the first output token. */
  ttftMs: Percentiles | null;
  outputTokens: number;
  errors: ErrorGroup[];
  /** The most requests that were in flight at once. */
  maxInFlight: number;
  /** True when the run was stopped early (Ctrl-C). */
  interrupted: boolean;
}

// Microseconds from 1 µs to 1 hour, 3 significant digits (0.1 % resolution).
const histogram = (): Histogram =>
  build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

const ms = (us: number) => Math.round(us) / 1000;

function percentiles(h: Histogram): Percentiles | null {
  if (h.totalCount === 0) return null;
  // A percentile is its bucket's upper bound, which may pass the exact largest value recorded.
  const at = (p: number) => ms(Math.min(h.getValueAtPercentile(p), h.maxValue));
  return {
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: ms(h.maxValue),
    mean: ms(h.mean),
  };
}

export class Recorder {
  sent = 0;
  ok = 0;
  failed = 0;
  inFlight = 0;
  maxInFlight = 0;
  outputTokens = 0;
  private readonly latency = histogram();
  private readonly ttft = histogram();
  private readonly errors = new Map<string, ErrorGroup>();

  started(): void {
    this.sent += 1;
    this.inFlight += 1;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
  }

  /** One finished request; times in milliseconds from its (planned) start. */
  finished(latencyMs: number, ttftMs: number | null, outputTokens: number, failure: Failure | null): void {
    this.inFlight -= 1;
    this.outputTokens += outputTokens;
    if (failure) {
      this.failed += 1;
      const key = `${failure.status} ${failure.code}`;
      const group = this.errors.get(key);
      if (group) group.count += 1;
      else this.errors.set(key, { ...failure, count: 1, example: failure.message });
      return;
    }
    this.ok += 1;
    this.latency.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
    if (ttftMs !== null) this.ttft.recordValue(Math.max(1, Math.round(ttftMs * 1000)));
  }

  result(
    base: Pick<TargetResult, 'name' | 'url' | 'api' | 'mode' | 'stream' | 'concurrency' | 'rate'>,
    elapsedMs: number,
    interrupted: boolean,
  ): TargetResult {
    const seconds = elapsedMs / 1000;
    const done = this.ok + this.failed;
    const errors = [...this.errors.values()].map(({ status, code, count, example }) => ({
      status,
      code,
      count,
      example,
    }));
    errors.sort((a, b) => b.count - a.count);
    return {
      ...base,
      sent: this.sent,
      ok: this.ok,
      failed: this.failed,
      successRate: this.sent ? Math.round((this.ok / this.sent) * 10_000) / 100 : 0,
      elapsedSeconds: Math.round(seconds * 1000) / 1000,
      requestsPerSecond: seconds > 0 ? Math.round((done / seconds) * 10) / 10 : 0,
      okPerSecond: seconds > 0 ? Math.round((this.ok / seconds) * 10) / 10 : 0,
      latencyMs: percentiles(this.latency),
      ttftMs: base.stream ? percentiles(this.ttft) : null,
      outputTokens: this.outputTokens,
      errors,
      maxInFlight: this.maxInFlight,
      interrupted,
    };
  }
}
