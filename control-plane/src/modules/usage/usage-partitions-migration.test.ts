// The partitioning migration keeps every record (ids, rollups) and exactly-once ingestion: repeats are duplicates
// before and after it, across a month boundary and in the default partition; migrating down restores one table.
import type { UsageRecord } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { useOrmDatabase } from '../../test-support/orm-db.ts';
import { usageRecord } from './test-records.ts';
import { UsageService } from './usage.service.ts';
import { monthStart } from './usage-lifecycle.ts';

const fresh = useOrmDatabase();

const before = 'Migration20261208000200_config_commit_once';
const partitioned = 'Migration20261215000000_usage_partitions';
const org = 'org-partitions';

async function insertRecord(requestId: string, ts: string, costUsd: number): Promise<void> {
  await fresh.db.query(
    `insert into usage_records (request_id, ts, node_id, org_id, key_id, model, provider, input_tokens, output_tokens,
                                cached_input_tokens, cost_usd, latency_ms, overhead_ms, status, stream)
     values ($1, $2, 'dp', $3, 'key-1', 'm', 'openai', 10, 5, 1, $4, 1, 1, 200, false)`,
    [requestId, ts, org, costUsd],
  );
}

const rows = () => fresh.db.query('select id::int, request_id, ts, cost_usd::text from usage_records order by id');
const rollups = () =>
  fresh.db.query(`select 'h' as t, hour as at, requests::int, cost_usd::text from usage_hourly
                  union all select 'd', day, requests::int, cost_usd::text from usage_daily_org order by 1, 2`);
const placement = async () =>
  Object.fromEntries(
    (
      await fresh.db.query<{ request_id: string; part: string }>(
        'select request_id, tableoid::regclass::text as part from usage_records',
      )
    ).map((r) => [r.request_id, r.part]),
  );
const ingest = (records: UsageRecord[]) => new UsageService(fresh.orm.em.fork()).ingest({ records });

/** `usage_records_yYYYYmMM` of the month holding `d`. */
const partitionOf = (d: Date) => `usage_records_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

describe(partitioned, () => {
  it('moves every record into a partition of its month, keeping ids and rollups', async () => {
    await fresh.migrateUp(before);
    await insertRecord('req-old-1', '2026-10-05T10:00:00Z', 0.5);
    await insertRecord('req-old-2', '2026-11-30T23:59:59.999Z', 0.25);
    await insertRecord('req-old-3', monthStart(new Date()).toISOString(), 1);
    await insertRecord('req-old-4', '2040-01-01T00:00:00Z', 2);
    const rowsBefore = await rows();
    const rollupsBefore = await rollups();

    await fresh.migrateUp(partitioned);
    expect(await fresh.db.query("select relkind from pg_class where relname = 'usage_records'")).toEqual([
      { relkind: 'p' },
    ]);
    expect(await rows()).toEqual(rowsBefore);
    expect(await rollups()).toEqual(rollupsBefore);
    expect(await placement()).toEqual({
      'req-old-1': 'usage_records_y2026m10',
      'req-old-2': 'usage_records_y2026m11',
      'req-old-3': partitionOf(new Date()),
      // Beyond the months created ahead: the default partition.
      'req-old-4': 'usage_records_default',
    });
    const parts = (
      await fresh.db.query<{ name: string }>(
        `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
          where i.inhparent = 'usage_records'::regclass`,
      )
    ).map((p) => p.name);
    for (const k of [0, 1, 2]) expect(parts).toContain(partitionOf(monthStart(new Date(), k)));
    expect(await fresh.db.query('select count(*)::int as n from usage_request_ids')).toEqual([{ n: 4 }]);
  });

  it('stores a batch sent twice once: repeats of copied records, a month boundary and the default partition', async () => {
    // Ingestion is today's code: it needs the later migrations too (e.g. usage_records.budget_unchecked).
    await fresh.migrateUp();
    const r = (requestId: string, ts: string) => usageRecord(org, { requestId, ts, costUsd: 0.125 });
    const batch = [
      r('req-old-2', '2026-11-30T23:59:59.999Z'),
      r('req-new-1', '2026-10-31T23:59:59.999Z'),
      r('req-new-2', '2026-11-01T00:00:00.000Z'),
      r('req-new-3', '2045-06-01T00:00:00.000Z'),
      r('req-new-3', '2045-06-01T00:00:00.000Z'),
      r('req-old-4', '2040-01-01T00:00:00Z'),
    ];
    expect(await ingest(batch)).toEqual({ accepted: 3, duplicates: 3, rejected: [] });
    expect(await ingest(batch)).toEqual({ accepted: 0, duplicates: 6, rejected: [] });
    expect(await ingest(batch.slice(1, 3))).toEqual({ accepted: 0, duplicates: 2, rejected: [] });

    expect(await placement()).toMatchObject({
      'req-new-1': 'usage_records_y2026m10',
      'req-new-2': 'usage_records_y2026m11',
      'req-new-3': 'usage_records_default',
    });
    const counts = await fresh.db.query(
      'select request_id, count(*)::int as n from usage_records group by request_id having count(*) > 1',
    );
    expect(counts).toEqual([]);
    const [{ requests }] = await fresh.db.query('select sum(requests)::int as requests from usage_hourly');
    expect(requests).toBe(7);
    // The identity goes on after the ids copied over.
    const [{ max }] = await fresh.db.query(
      "select max(id)::int as max from usage_records where request_id like 'req-old-%'",
    );
    const [{ min }] = await fresh.db.query(
      "select min(id)::int as min from usage_records where request_id like 'req-new-%'",
    );
    expect(min).toBeGreaterThan(max);
  });

  it('migrates down to one table with request_id unique, keeping every record and the rollup triggers', async () => {
    const rowsBefore = await rows();
    await fresh.migrateDown(before);
    expect(await fresh.db.query("select relkind from pg_class where relname = 'usage_records'")).toEqual([
      { relkind: 'r' },
    ]);
    expect(await rows()).toEqual(rowsBefore);
    expect(await fresh.db.query("select to_regclass('usage_request_ids') as t")).toEqual([{ t: null }]);
    await expect(insertRecord('req-new-1', '2026-10-01T00:00:00Z', 1)).rejects.toMatchObject({ code: '23505' });
    await insertRecord('req-down-1', '2026-10-01T00:00:00Z', 1);
    const [{ requests }] = await fresh.db.query('select sum(requests)::int as requests from usage_hourly');
    expect(requests).toBe(8);
  });
});
