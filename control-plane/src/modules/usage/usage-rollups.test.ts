// The rollups stay exactly equal to aggregating usage_records: after new, repeated, partially repeated and concurrent
// batches, and after deletes, updates and truncation of the raw table.
import { randomUUID } from 'node:crypto';
import type { UsageRecord } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { useApiSuite } from '../../test-support/suite.ts';
import { dataPlaneToken } from '../../test-support/test-app.ts';
import { ingestMutation, usageRecord } from './test-records.ts';

const t = useApiSuite();

const measures = `count(*)::bigint as requests, (count(*) filter (where status >= 400))::bigint as errors,
  sum(input_tokens)::bigint as input_tokens, sum(output_tokens)::bigint as output_tokens,
  sum(cached_input_tokens)::bigint as cached_input_tokens, sum(cost_usd) as cost_usd`;
const rollupMeasures = 'requests, errors, input_tokens, output_tokens, cached_input_tokens, cost_usd';
const hourlyKey = 'org_id, hour, key_id, model, team_id, user_id, module_id, provider';
const dailyKey = 'org_id, day, model, provider';

/** Rows in one rollup but not in the aggregate of the raw table, or the other way round (empty = equal). */
async function rollupDifferences(): Promise<unknown[]> {
  const hourlyRaw = `select org_id, date_trunc('hour', ts, 'UTC') as hour, key_id, model, team_id, user_id, module_id,
      provider, ${measures} from usage_records group by 1, 2, 3, 4, 5, 6, 7, 8`;
  const hourly = `select ${hourlyKey}, ${rollupMeasures} from usage_hourly`;
  const dailyRaw = `select org_id, date_trunc('day', ts, 'UTC') as day, model, provider, ${measures}
      from usage_records group by 1, 2, 3, 4`;
  const daily = `select ${dailyKey}, ${rollupMeasures} from usage_daily_org`;
  return t.db.query(`
    (select 'hourly rollup only' as side, to_jsonb(x) as row from ((${hourly}) except all (${hourlyRaw})) x)
    union all (select 'raw only (hourly)', to_jsonb(x) from ((${hourlyRaw}) except all (${hourly})) x)
    union all (select 'daily rollup only', to_jsonb(x) from ((${daily}) except all (${dailyRaw})) x)
    union all (select 'raw only (daily)', to_jsonb(x) from ((${dailyRaw}) except all (${daily})) x)`);
}

async function ingest(records: unknown[]): Promise<{ accepted: number; duplicates: number }> {
  const res = await t.app.gql<{ ingestUsage: { accepted: number; duplicates: number } }>(
    ingestMutation,
    { b: { records } },
    dataPlaneToken,
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.ingestUsage;
}

/** A varied set of records of one org: two keys, two models, a team, a module, errors, two hours, two days. */
function mixedBatch(orgId: string, n: number): UsageRecord[] {
  const keys = [randomUUID(), randomUUID()];
  const team = randomUUID();
  return Array.from({ length: n }, (_, i) =>
    usageRecord(orgId, {
      ts: new Date(Date.UTC(2030, 0, 1 + (i % 2), 10 + (i % 3), i % 60, 7)).toISOString(),
      keyId: keys[i % 2],
      teamId: i % 4 === 0 ? null : team,
      userId: i % 5 === 0 ? randomUUID() : null,
      moduleId: i % 3 === 0 ? 'chat' : null,
      model: i % 2 ? 'gpt-4o' : 'gpt-4o-mini',
      provider: i % 7 === 0 ? null : 'openai',
      inputTokens: 100 + i,
      outputTokens: 10 * i,
      cachedInputTokens: i % 3,
      costUsd: 0.0000001 * (i + 1),
      status: i % 6 === 0 ? 502 : 200,
    }),
  );
}

describe('usage rollups', () => {
  it('count a batch once, by hour and by day, with exact sums', async () => {
    const orgId = randomUUID();
    const key = randomUUID();
    const at = (ts: string, patch: Partial<UsageRecord> = {}) => usageRecord(orgId, { ts, keyId: key, ...patch });
    const batch = [
      at('2030-01-01T10:00:00Z', { costUsd: 0.1, inputTokens: 10, outputTokens: 1, cachedInputTokens: 4 }),
      at('2030-01-01T10:59:59.999Z', { costUsd: 0.2, inputTokens: 20, outputTokens: 2, status: 429 }),
      at('2030-01-01T11:00:00Z', { costUsd: 0.3, inputTokens: 30, outputTokens: 3 }),
      // +02:00 offset: 2030-01-01T23:30Z, still 1 January in UTC.
      at('2030-01-02T01:30:00+02:00', { costUsd: 0.0000000001, inputTokens: 1, outputTokens: 0 }),
    ];
    expect(await ingest(batch)).toMatchObject({ accepted: 4, duplicates: 0 });
    const hourly = await t.db.query(
      `select hour, requests::int, errors::int, input_tokens::int, output_tokens::int, cached_input_tokens::int,
              cost_usd::text from usage_hourly where org_id = $1 order by hour`,
      [orgId],
    );
    expect(hourly).toEqual([
      {
        hour: new Date('2030-01-01T10:00:00Z'),
        requests: 2,
        errors: 1,
        input_tokens: 30,
        output_tokens: 3,
        cached_input_tokens: 4,
        cost_usd: '0.3000000000',
      },
      expect.objectContaining({ hour: new Date('2030-01-01T11:00:00Z'), requests: 1, cost_usd: '0.3000000000' }),
      expect.objectContaining({ hour: new Date('2030-01-01T23:00:00Z'), requests: 1, cost_usd: '0.0000000001' }),
    ]);
    const daily = await t.db.query(
      'select day, requests::int, errors::int, cost_usd::text from usage_daily_org where org_id = $1',
      [orgId],
    );
    expect(daily).toEqual([
      { day: new Date('2030-01-01T00:00:00Z'), requests: 4, errors: 1, cost_usd: '0.6000000001' },
    ]);
    expect(await rollupDifferences()).toEqual([]);
  });

  it('ignore a repeated batch, and count only the new records of a partially repeated one', async () => {
    const orgId = randomUUID();
    const first = mixedBatch(orgId, 40);
    expect(await ingest(first)).toEqual({ accepted: 40, duplicates: 0, rejected: [] });
    const snapshot = await t.db.query(`select * from usage_hourly where org_id = $1 order by ${hourlyKey}`, [orgId]);

    expect(await ingest(first)).toEqual({ accepted: 0, duplicates: 40, rejected: [] });
    expect(await t.db.query(`select * from usage_hourly where org_id = $1 order by ${hourlyKey}`, [orgId])).toEqual(
      snapshot,
    );

    // Half old, half new, and some records twice within the batch itself.
    const fresh = mixedBatch(orgId, 30);
    const partial = [...first.slice(0, 20), ...fresh, ...fresh.slice(0, 5), first[0]];
    expect(await ingest(partial)).toEqual({ accepted: 30, duplicates: 26, rejected: [] });
    const [{ n }] = await t.db.query('select sum(requests)::int as n from usage_hourly where org_id = $1', [orgId]);
    expect(n).toBe(70);
    expect(await rollupDifferences()).toEqual([]);
  });

  it('stay exact when overlapping batches arrive concurrently', async () => {
    const orgId = randomUUID();
    const records = mixedBatch(orgId, 400);
    // Four batches over overlapping slices: every record is in one to three of them.
    const slices = [records.slice(0, 200), records.slice(100, 300), records.slice(150, 400), records.slice(0, 400)];
    const answers = await Promise.all(slices.map((s) => ingest(s)));
    expect(answers.reduce((sum, a) => sum + a.accepted, 0)).toBe(400);
    const [{ n }] = await t.db.query('select sum(requests)::int as n from usage_hourly where org_id = $1', [orgId]);
    expect(n).toBe(400);
    expect(await rollupDifferences()).toEqual([]);
  });

  it('follow deletes (e.g. retention), updates and truncation of the raw table', async () => {
    const orgId = randomUUID();
    await ingest(mixedBatch(orgId, 60));
    await t.db.query(
      "delete from usage_records where org_id = $1 and ts < '2030-01-01T11:00:00Z' and key_id in (select key_id from usage_records where org_id = $1 limit 1)",
      [orgId],
    );
    expect(await rollupDifferences()).toEqual([]);
    // A whole hour disappears: its rollup rows go, rather than staying with zero requests.
    await t.db.query("delete from usage_records where org_id = $1 and ts < '2030-01-01T11:00:00Z'", [orgId]);
    const [{ zeros }] = await t.db.query('select count(*)::int as zeros from usage_hourly where requests = 0');
    expect(zeros).toBe(0);
    expect(await rollupDifferences()).toEqual([]);

    await t.db.query(
      "update usage_records set cost_usd = cost_usd * 2, status = 500 where org_id = $1 and model = 'gpt-4o'",
      [orgId],
    );
    await t.db.query(
      "update usage_records set ts = ts + interval '3 days', model = 'moved' where org_id = $1 and model = 'gpt-4o-mini'",
      [orgId],
    );
    expect(await rollupDifferences()).toEqual([]);

    await t.db.query('truncate usage_records');
    expect(await t.db.query('select 1 from usage_hourly union all select 1 from usage_daily_org')).toEqual([]);
  });
});
