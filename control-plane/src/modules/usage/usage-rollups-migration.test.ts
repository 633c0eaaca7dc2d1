// The rollups migration backfills usage recorded before it, and migrating down removes the rollups and triggers.
import { describe, expect, it } from 'vitest';
import { useOrmDatabase } from '../../test-support/orm-db.ts';

const fresh = useOrmDatabase();

const before = 'Migration20261201000001_usage_module';
const rollups = 'Migration20261201000200_usage_rollups';

async function insertRecord(requestId: string, ts: string, costUsd: number, status = 200): Promise<void> {
  await fresh.db.query(
    `insert into usage_records (request_id, ts, node_id, org_id, key_id, model, provider, input_tokens, output_tokens,
                                cached_input_tokens, cost_usd, latency_ms, overhead_ms, status, stream)
     values ($1, $2, 'dp', 'org-1', 'key-1', 'm', 'openai', 10, 5, 1, $3, 1, 1, $4, false)`,
    [requestId, ts, costUsd, status],
  );
}

describe(rollups, () => {
  it('rolls up the records already held, then keeps counting new ones', async () => {
    await fresh.migrateUp(before);
    await insertRecord('req-00000001', '2030-01-01T10:05:00Z', 0.5);
    await insertRecord('req-00000002', '2030-01-01T10:55:00Z', 0.25, 500);
    await insertRecord('req-00000003', '2030-01-02T00:00:00Z', 1);
    await fresh.migrateUp(rollups);
    const hourly = await fresh.db.query(
      'select hour, requests::int, errors::int, input_tokens::int, cost_usd::text from usage_hourly order by hour',
    );
    expect(hourly).toEqual([
      { hour: new Date('2030-01-01T10:00:00Z'), requests: 2, errors: 1, input_tokens: 20, cost_usd: '0.7500000000' },
      { hour: new Date('2030-01-02T00:00:00Z'), requests: 1, errors: 0, input_tokens: 10, cost_usd: '1.0000000000' },
    ]);
    await insertRecord('req-00000004', '2030-01-02T00:30:00Z', 2);
    const daily = await fresh.db.query('select day, requests::int, cost_usd::text from usage_daily_org order by day');
    expect(daily).toEqual([
      { day: new Date('2030-01-01T00:00:00Z'), requests: 2, cost_usd: '0.7500000000' },
      { day: new Date('2030-01-02T00:00:00Z'), requests: 2, cost_usd: '3.0000000000' },
    ]);

    await fresh.migrateDown(before);
    const left = await fresh.db.query(
      "select tgname from pg_trigger where tgrelid = 'usage_records'::regclass and not tgisinternal",
    );
    expect(left).toEqual([]);
    expect(await fresh.db.query("select to_regclass('usage_hourly') as t")).toEqual([{ t: null }]);
    expect(await fresh.db.query('select count(*)::int as n from usage_records')).toEqual([{ n: 4 }]);
  });
});
