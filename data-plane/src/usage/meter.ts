// Per-request accounting: timing, provider wait, tokens and cost; produces one UsageRecord and the metrics.
import { costNano, maxUsageModelLength, nanoPerUsd, storableText, type UsageRecord } from '@gw/schema';
import type { MetricLabels } from '../metrics.ts';
import type { TokenUsage } from '../providers/types.ts';
import type { KeyEntry, ModelEntry } from '../snapshot/store.ts';

/** Mutable while the request runs; finished exactly once. */
export interface Exchange {
  readonly requestId: string;
  /** Wall clock at arrival (epoch ms), for the record's `ts`. */
  readonly startedAtMs: number;
  /** performance.now() at arrival, for durations. */
  readonly t0: number;
  key: KeyEntry | null;
  /** The product module the request is attributed to (null = none, or not decided yet). */
  moduleId: string | null;
  /** The model name the caller asked for ('' until the body was read). */
  model: string;
  modelEntry: ModelEntry | null;
  provider: string | null;
  upstreamModel: string | null;
  stream: boolean;
  /** Time spent waiting on the provider, ms (request sent -> last byte received). */
  providerMs: number;
  usage: TokenUsage | null;
  /**
   * Tokens known while a stream runs (the provider's usage once reported, else one output token per content event
   * relayed so far); null for answers read whole. Read by the in-flight journal, off the request path.
   */
  tokensSoFar: (() => TokenUsage) | null;
  /** Its start is in the in-flight journal (set by the journal's writer). */
  journaled: boolean;
  finished: boolean;
  /** Served fail-open without a budget lease covering it (recorded as `budgetUnchecked`). */
  budgetUnchecked: boolean;
}

export function beginExchange(requestId: string): Exchange {
  return {
    requestId,
    startedAtMs: Date.now(),
    t0: performance.now(),
    key: null,
    moduleId: null,
    model: '',
    modelEntry: null,
    provider: null,
    upstreamModel: null,
    stream: false,
    providerMs: 0,
    usage: null,
    tokensSoFar: null,
    journaled: false,
    finished: false,
    budgetUnchecked: false,
  };
}

/**
 * The provider cost of `usage` in whole nano-dollars (the contract's `costNano`, as the control plane's ledger counts
 * it): uncached input at the input price, cached input at the cached price, output at the output price (OpenAI
 * counts cached tokens inside prompt_tokens). Records carry it as `costUsd = nano / 1e9`, so both agree exactly.
 */
export function usageCostNano(entry: ModelEntry | null, usage: TokenUsage | null): number {
  if (entry === null || usage === null) return 0;
  return costNano(usage.inputTokens, usage.outputTokens, usage.cachedInputTokens, entry.pico);
}

export interface Finished {
  readonly record: UsageRecord | null;
  readonly labels: MetricLabels;
  readonly latencyMs: number;
  readonly overheadMs: number;
  readonly costUsd: number;
  /** The same cost in whole nano-dollars (what budgets are settled with). */
  readonly costNano: number;
}

/**
 * Closes the exchange. Unauthenticated requests get metrics but no usage record. `bootId`: this process's boot, whose
 * budget leases the record's cost counts against.
 */
export function finishExchange(
  ex: Exchange,
  nodeId: string,
  bootId: string | null,
  status: number,
  errorCode: string | null,
): Finished {
  ex.finished = true;
  const latencyMs = performance.now() - ex.t0;
  const overheadMs = Math.max(0, latencyMs - ex.providerMs);
  const usage = ex.usage;
  const nano = usageCostNano(ex.modelEntry, usage);
  const cost = nano / nanoPerUsd;
  const key = ex.key;
  const labels: MetricLabels = {
    org: key?.org.id ?? '',
    team: key?.team?.id ?? '',
    // Only names from the snapshot: a caller's arbitrary model strings must not become label values.
    model: ex.modelEntry?.model.name ?? '',
    provider: ex.provider ?? '',
    status,
    user: key?.user?.id ?? '',
    key: key?.key.id ?? '',
  };
  const record = key
    ? usageRecordOf(ex, key, nodeId, bootId, { status, errorCode, usage, costUsd: cost, latencyMs, overheadMs })
    : null;
  return { record, labels, latencyMs, overheadMs, costUsd: cost, costNano: nano };
}

/**
 * The usage record of an authenticated exchange, finished or (for the in-flight journal) as it stands. `bootId` is
 * null only where no boot is known (tests of the journal alone).
 */
export function usageRecordOf(
  ex: Exchange,
  key: KeyEntry,
  nodeId: string,
  bootId: string | null,
  outcome: {
    status: number;
    errorCode: string | null;
    usage: TokenUsage | null;
    costUsd: number;
    latencyMs: number;
    overheadMs: number;
  },
): UsageRecord {
  const { usage } = outcome;
  const record: UsageRecord = {
    requestId: ex.requestId,
    ts: new Date(ex.startedAtMs).toISOString(),
    nodeId,
    orgId: key.org.id,
    teamId: key.team?.id ?? null,
    userId: key.user?.id ?? null,
    keyId: key.key.id,
    moduleId: ex.moduleId,
    // The caller's own text: made storable (cut on code points, NUL and lone surrogates replaced) so that the record
    // of a refused request still reaches billing.
    model: storableText(ex.model, maxUsageModelLength),
    provider: ex.provider,
    upstreamModel: ex.upstreamModel,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cachedInputTokens: usage?.cachedInputTokens ?? 0,
    costUsd: outcome.costUsd,
    latencyMs: outcome.latencyMs,
    overheadMs: outcome.overheadMs,
    status: outcome.status,
    errorCode: outcome.errorCode,
    stream: ex.stream,
  };
  if (bootId !== null) record.bootId = bootId;
  if (ex.budgetUnchecked) record.budgetUnchecked = true;
  return record;
}
