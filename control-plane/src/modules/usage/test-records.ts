// Usage records and scoped API tokens for tests (no test-runner imports, so it type-checks in the build too).
import { randomUUID } from 'node:crypto';
import type { UsageRecord } from '@gw/schema';

/** A valid record of `orgId`; `patch` overrides any field. */
export function usageRecord(orgId: string, patch: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId: `req_${randomUUID()}`,
    ts: '2030-01-01T10:00:00.000Z',
    nodeId: 'dp-1',
    orgId,
    teamId: null,
    userId: null,
    keyId: randomUUID(),
    moduleId: null,
    model: 'gpt-4o-mini',
    provider: 'openai',
    upstreamModel: 'gpt-4o-mini',
    inputTokens: 100,
    outputTokens: 20,
    cachedInputTokens: 0,
    costUsd: 0.000027,
    latencyMs: 120.5,
    overheadMs: 1.25,
    status: 200,
    errorCode: null,
    stream: false,
    ...patch,
  };
}

export const ingestMutation =
  'mutation($b: JSON!) { ingestUsage(batch: $b) { accepted duplicates rejected { index requestId field reason } } }';

type Gql = (
  query: string,
  variables?: Record<string, unknown>,
) => Promise<{ data?: unknown; errors?: { message: string }[] }>;

/** A new API token of `role` (ORG_ADMIN, ORG_VIEWER, PLATFORM_ADMIN) for `orgId`, created by the platform admin. */
export async function scopedToken(gql: Gql, role: string, orgId: string | null): Promise<string> {
  const res = await gql('mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }', {
    i: { name: `${role.toLowerCase()}-${randomUUID().slice(0, 8)}`, role, orgId },
  });
  const token = (res.data as { createApiToken?: { token: string } } | null)?.createApiToken?.token;
  if (!token) throw new Error(`createApiToken failed: ${JSON.stringify(res.errors)}`);
  return token;
}
