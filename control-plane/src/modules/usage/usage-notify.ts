// The gw_usage channel: after an ingestion batch commits, PostgreSQL tells every control-plane replica which orgs
// got new usage and how much, so each replica can tell its own live subscribers (usageUpdates).
import { z } from 'zod';

export const usageChannel = 'gw_usage';

/** New usage of one org, summed over the records of one batch (or of several, once coalesced). */
export interface UsageDelta {
  orgId: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  /** Record timestamps (ms since the epoch): the oldest and newest record the sums cover. */
  earliestAt: number;
  latestAt: number;
}

/**
 * Orgs per notification. NOTIFY payloads must stay under 8000 bytes; one entry is at most ~220 bytes (an org id of
 * up to 64 characters, five bigint sums, a numeric sum and two epoch-ms timestamps), so 25 leave ample room.
 */
export const orgsPerNotification = 25;

/** Org ids longer than this cannot name an organization (they are UUIDs) and are left out of notifications. */
export const maxNotifiedOrgIdLength = 64;

/**
 * SQL (CTEs to append to the ingestion statement) that notifies the sums of the rows in `inserted`, one
 * notification per chunk of orgs. Being part of the insert's statement, the notifications are delivered when,
 * and only when, the rows are committed. `notified` must be referenced by the final SELECT to run.
 */
export const notifyUsageSql = `per_org as (
    select org_id, count(*) as requests, count(*) filter (where status >= 400) as errors,
           coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
           coalesce(sum(cached_input_tokens), 0) as cached_input_tokens, coalesce(sum(cost_usd), 0) as cost_usd,
           (extract(epoch from min(ts)) * 1000)::bigint as earliest, (extract(epoch from max(ts)) * 1000)::bigint as latest
      from inserted where length(org_id) <= ${maxNotifiedOrgIdLength} group by org_id
  ), notified as (
    select pg_notify('${usageChannel}', json_agg(json_build_array(org_id, requests, errors, input_tokens,
             output_tokens, cached_input_tokens, cost_usd, earliest, latest))::text)
      from (select p.*, (row_number() over (order by org_id) - 1) / ${orgsPerNotification} as chunk from per_org p) c
     group by chunk
  )`;

const entry = z.tuple([
  z.string().min(1),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
  z.number(),
]);
const payloadSchema = z.array(entry);

/** The deltas of one notification; null when it is not one of ours (e.g. sent by hand or by another version). */
export function parseUsageNotification(payload: string): UsageDelta[] | null {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return null;
  return parsed.data.map(
    ([orgId, requests, errors, inputTokens, outputTokens, cachedInputTokens, costUsd, earliestAt, latestAt]) => ({
      orgId,
      requests,
      errors,
      inputTokens,
      outputTokens,
      cachedInputTokens,
      costUsd,
      earliestAt,
      latestAt,
    }),
  );
}

/** Two deltas of the same org as one. */
export function mergeDeltas(a: UsageDelta, b: UsageDelta): UsageDelta {
  return {
    orgId: a.orgId,
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    // Ten decimals, like the stored costs: float sums must not show 0.30000000000000004.
    costUsd: Math.round((a.costUsd + b.costUsd) * 1e10) / 1e10,
    earliestAt: Math.min(a.earliestAt, b.earliestAt),
    latestAt: Math.max(a.latestAt, b.latestAt),
  };
}
