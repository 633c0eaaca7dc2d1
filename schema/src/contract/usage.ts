// Usage records: one per data-plane request, batched to the control plane, idempotent on requestId.
import { z } from 'zod';

export const usageRecord = z
  .object({
    /** Unique per request; ingestion ignores a requestId it already holds. */
    requestId: z.string().min(8).max(64),
    /** ISO-8601 time the request arrived at the data plane. */
    ts: z.string().datetime({ offset: true }),
    nodeId: z.string().min(1).max(128),
    orgId: z.string().min(1),
    teamId: z.string().min(1).nullable(),
    userId: z.string().min(1).nullable(),
    keyId: z.string().min(1),
    /** Public model name the caller asked for (as in the snapshot), or the raw name when unknown. */
    model: z.string().max(256),
    provider: z.string().max(64).nullable(),
    upstreamModel: z.string().max(256).nullable(),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    cachedInputTokens: z.number().int().nonnegative(),
    /** USD, from the snapshot's model prices at request time. */
    costUsd: z.number().nonnegative(),
    /** Whole request as seen by the data plane, ms. */
    latencyMs: z.number().nonnegative(),
    /** Part of latencyMs spent in the gateway itself (not waiting on the provider), ms. */
    overheadMs: z.number().nonnegative(),
    /** HTTP status returned to the caller. */
    status: z.number().int().min(100).max(599),
    /** Error code from the closed list in errors.ts, or null on success. */
    errorCode: z.string().nullable(),
    stream: z.boolean(),
  })
  .strict();

export const usageBatch = z.object({ records: z.array(usageRecord).min(1).max(5000) }).strict();

export type UsageRecord = z.infer<typeof usageRecord>;
export type UsageBatch = z.infer<typeof usageBatch>;

/** What the control plane answers to a batch: every requestId is acknowledged, new or already held. */
export interface IngestResult {
  accepted: number;
  duplicates: number;
}
