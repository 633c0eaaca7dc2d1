// Reads usage records straight from PostgreSQL and through GraphQL, to check what the data planes reported.
import type { Gql } from '../harness/gql.ts';
import type { TestDatabase } from '../harness/postgres.ts';
import { waitFor } from '../harness/wait.ts';

export interface UsageRow {
  request_id: string;
  node_id: string;
  key_id: string;
  model: string;
  upstream_model: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  status: number;
  error_code: string | null;
  stream: boolean;
}

/** Every usage row with one of these request ids (duplicates would show up as repeated ids). */
export async function usageRows(db: TestDatabase, requestIds: string[]): Promise<UsageRow[]> {
  const { rows } = await db.pool.query(
    `select request_id, node_id, key_id, model, upstream_model, input_tokens::int, output_tokens::int,
            cost_usd::float8 as cost_usd, status, error_code, stream
       from usage_records where request_id = any($1::text[]) order by request_id`,
    [requestIds],
  );
  return rows as UsageRow[];
}

/** Waits until every request id has a usage row (bounded), then returns the rows. */
export async function waitForUsage(db: TestDatabase, requestIds: string[], timeoutMs = 10_000): Promise<UsageRow[]> {
  let last: UsageRow[] = [];
  try {
    return await waitFor(
      `${requestIds.length} usage rows`,
      async () => {
        last = await usageRows(db, requestIds);
        return new Set(last.map((r) => r.request_id)).size === new Set(requestIds).size ? last : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (e) {
    const have = new Set(last.map((r) => r.request_id));
    const missing = requestIds.filter((id) => !have.has(id));
    throw new Error(`${(e as Error).message}; missing ${missing.length}: ${missing.slice(0, 5).join(', ')}`);
  }
}

export interface UsageTotals {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export async function orgUsage(admin: Gql, orgId: string): Promise<UsageTotals> {
  const { organization } = await admin<{ organization: { usage: UsageTotals } | null }>(
    'query ($id: ID!) { organization(id: $id) { usage { requests errors inputTokens outputTokens costUsd } } }',
    { id: orgId },
  );
  if (!organization) throw new Error(`organization ${orgId} not found`);
  return organization.usage;
}

/** USD for a call at the seeded default prices (1 $/MTok in, 2 $/MTok out). */
export const defaultCost = (input: number, output: number): number => (input * 1 + output * 2) / 1_000_000;
