// Usage records: one per data-plane request, batched to the control plane, idempotent on requestId.
import { z } from 'zod';
import { pgText, pgTimestamp } from './text.ts';

/** Longest model name a record carries, in code points; longer caller input is cut to this. */
export const maxUsageModelLength = 256;

/**
 * Token counts a record may carry: far above any real request, and low enough that the rollups' bigint sums of an
 * hour cannot overflow.
 */
export const maxUsageTokens = 2 ** 40;

/** Largest cost of one record, USD: usage_records.cost_usd is numeric(20, 10), so it must stay under 10^10. */
export const maxUsageCostUsd = 1e9;

/** Ids are UUIDs in practice; the cap keeps every rollup index row well within PostgreSQL's btree limit. */
const id = () => pgText(64, 1);

export const usageRecord = z
  .object({
    /** Unique per request; ingestion ignores a requestId it already holds. */
    requestId: pgText(64, 8),
    /** ISO-8601 time the request arrived at the data plane. */
    ts: pgTimestamp(),
    nodeId: pgText(128, 1),
    orgId: id(),
    teamId: id().nullable(),
    userId: id().nullable(),
    keyId: id(),
    /**
     * The product module the request is attributed to (the key's module, or the x-gateway-module header); null for
     * none. Optional on the wire so that data planes older than modules stay valid; it reads as null then.
     */
    moduleId: id().nullable().default(null),
    /**
     * Public model name the caller asked for (as in the snapshot), or the raw name when unknown, made storable by
     * `storableText` (text.ts): every text field must be text PostgreSQL can store.
     */
    model: pgText(maxUsageModelLength),
    provider: pgText(64).nullable(),
    upstreamModel: pgText(256).nullable(),
    inputTokens: z.number().int().nonnegative().max(maxUsageTokens),
    outputTokens: z.number().int().nonnegative().max(maxUsageTokens),
    cachedInputTokens: z.number().int().nonnegative().max(maxUsageTokens),
    /** USD, from the snapshot's model prices at request time. */
    costUsd: z.number().nonnegative().max(maxUsageCostUsd),
    /** Whole request as seen by the data plane, ms. */
    latencyMs: z.number().nonnegative(),
    /** Part of latencyMs spent in the gateway itself (not waiting on the provider), ms. */
    overheadMs: z.number().nonnegative(),
    /** HTTP status returned to the caller. */
    status: z.number().int().min(100).max(599),
    /** Error code from the closed list in errors.ts, or null on success. */
    errorCode: pgText(64).nullable(),
    stream: z.boolean(),
    /**
     * True for a request still in flight when its data plane crashed: recorded at the next start from the in-flight
     * journal with the tokens known then (status 502, errorCode `gateway_interrupted`). Absent (the usual case) is false.
     */
    incomplete: z.boolean().optional(),
    /**
     * The data plane's boot (LeaseRequest.bootId) that served the request: the control plane counts the record's
     * cost against that boot's budget leases. Absent on records of data planes older than budgets.
     */
    bootId: pgText(64, 8).optional(),
    /**
     * True when the request was served without a budget lease covering it: the org is fail-open and its budgets
     * could not be checked (control plane unreachable). Reconciled at ingestion; absent is false.
     */
    budgetUnchecked: z.boolean().optional(),
  })
  .strict();

/** Most records one batch may carry. */
export const maxUsageBatchRecords = 5000;

/** A whole, valid batch (what a data plane means to send). */
export const usageBatch = z.object({ records: z.array(usageRecord).min(1).max(maxUsageBatchRecords) }).strict();

/**
 * The envelope alone. The control plane refuses a batch as a whole only when this fails; records are then
 * checked one by one (see `checkUsageRecords`), so one bad record never costs the good ones.
 */
export const usageBatchEnvelope = z.object({ records: z.array(z.unknown()).min(1).max(maxUsageBatchRecords) }).strict();

/** A record as stored and sent (moduleId always present). */
export type UsageRecord = z.output<typeof usageRecord>;
export type UsageBatch = z.infer<typeof usageBatch>;

/** One record the control plane refused; it is not stored, and sending it again cannot help. */
export interface RejectedUsageRecord {
  /** Position in the batch's `records`. */
  index: number;
  /** The record's requestId when it has a valid one, else null. */
  requestId: string | null;
  /** Path of the first bad field inside the record (e.g. `inputTokens`), or null when the record itself is wrong. */
  field: string | null;
  /** What is wrong, naming the field; never contains the field's value. */
  reason: string;
}

/**
 * What the control plane answers to a batch. Every record is accounted for exactly once:
 * accepted + duplicates + rejected.length = records.length.
 */
export interface IngestResult {
  /** Records stored by this call. */
  accepted: number;
  /** Valid records whose requestId was already held (or repeated in the batch); ignored. */
  duplicates: number;
  rejected: RejectedUsageRecord[];
}

/** Splits a batch's records into valid ones (in order) and rejections with field-level reasons. */
export function checkUsageRecords(records: readonly unknown[]): {
  valid: UsageRecord[];
  rejected: RejectedUsageRecord[];
} {
  const valid: UsageRecord[] = [];
  const rejected: RejectedUsageRecord[] = [];
  records.forEach((value, index) => {
    const parsed = usageRecord.safeParse(value);
    if (parsed.success) {
      valid.push(parsed.data);
      return;
    }
    const [first, ...rest] = parsed.error.issues;
    const field = first.path.length ? first.path.map(String).join('.') : null;
    const id = (value as { requestId?: unknown } | null)?.requestId;
    rejected.push({
      index,
      requestId: usageRecord.shape.requestId.safeParse(id).success ? (id as string) : null,
      field,
      reason: `${field ?? 'record'}: ${first.message}${rest.length ? ` (and ${rest.length} more)` : ''}`,
    });
  });
  return { valid, rejected };
}
