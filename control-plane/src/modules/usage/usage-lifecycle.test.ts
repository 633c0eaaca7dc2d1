// Usage maintenance on a real database: partitions made ahead (records waiting in the default partition moved in),
// concurrent runs, retention dropping whole months while rollups and usage totals stay, refusal of records older than
// the horizon, request ids forgotten one run later, and rollup retention.
import { randomUUID } from 'node:crypto';
import type { UsageRecord } from '@gw/schema';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { useOrmDatabase } from '../../test-support/orm-db.ts';
import { usageRecord } from './test-records.ts';
import { UsageService } from './usage.service.ts';
import { UsageLifecycle } from './usage-lifecycle.ts';

const fresh = useOrmDatabase();
beforeAll(() => fresh.migrateUp());

const logs: { msg: string; [k: string]: unknown }[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });

const lifecycle = (records: number | null, rollups: number | null = null) =>
  new UsageLifecycle({ orm: fresh.orm, logger, recordsRetentionMonths: records, rollupsRetentionMonths: rollups });

const org = randomUUID();
const record = (requestId: string, ts: string) => usageRecord(org, { requestId, ts, costUsd: 0.5 });
const r1 = record('req-lc-1', '2031-06-10T12:00:00Z');
const r2 = record('req-lc-2', '2031-11-20T12:00:00Z');
const r3 = record('req-lc-3', '2032-01-15T12:00:00Z');
const r4 = record('req-lc-4', '2033-05-01T00:00:00Z');
const r5 = record('req-lc-5', '2032-02-20T12:00:00Z');

const ingest = (records: UsageRecord[]) => new UsageService(fresh.orm.em.fork()).ingest({ records }, logger);
const totals = () => new UsageService(fresh.orm.em.fork()).totals({ orgId: org, from: null, to: null, filter: {} });
const placeOf = async (requestId: string) =>
  (
    await fresh.db.query<{ part: string }>(
      'select tableoid::regclass::text as part from usage_records where request_id = $1',
      [requestId],
    )
  )[0]?.part ?? null;
const partitions = async () =>
  (
    await fresh.db.query<{ name: string }>(
      `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'usage_records'::regclass order by 1`,
    )
  ).map((p) => p.name);
const hourlyRows = () => fresh.db.query('select hour, requests::int, cost_usd::text from usage_hourly order by hour');
const testMonths = (names: string[]) => names.filter((n) => n >= 'usage_records_y2030');
const ids = async () =>
  (await fresh.db.query<{ request_id: string }>('select request_id from usage_request_ids order by 1')).map(
    (r) => r.request_id,
  );

describe('usage lifecycle', () => {
  it('creates this month and the next two once, and moves waiting records into a partition of their month', async () => {
    expect(await ingest([r1, r2, r3, r4])).toMatchObject({ accepted: 4 });
    for (const r of [r1, r2, r3, r4]) expect(await placeOf(r.requestId)).toBe('usage_records_default');
    const rollupsBefore = await hourlyRows();

    const run = await lifecycle(null).run(new Date('2031-11-15T08:00:00Z'));
    expect(run.created).toEqual([
      'usage_records_y2031m06',
      'usage_records_y2031m11',
      'usage_records_y2031m12',
      'usage_records_y2032m01',
    ]);
    expect(await placeOf(r1.requestId)).toBe('usage_records_y2031m06');
    expect(await placeOf(r2.requestId)).toBe('usage_records_y2031m11');
    expect(await placeOf(r3.requestId)).toBe('usage_records_y2032m01');
    // Dated beyond the months made ahead: it waits for its month, and is reported.
    expect(await placeOf(r4.requestId)).toBe('usage_records_default');
    expect(run.defaultRows).toBe(1);
    expect(logs.find((l) => l.msg === 'usage records dated months ahead')).toMatchObject({ records: 1 });
    expect(logs.find((l) => l.msg === 'usage partitions created')).toMatchObject({ partitions: run.created });
    // Moving rows between partitions is not new usage.
    expect(await hourlyRows()).toEqual(rollupsBefore);

    expect((await lifecycle(null).run(new Date('2031-11-30T23:00:00Z'))).created).toEqual([]);
  });

  it('lets two maintenance runs and two partition creations overlap without failing', async () => {
    const now = new Date('2032-02-10T00:00:00Z');
    const [a, b] = await Promise.all([lifecycle(null).run(now), lifecycle(null).run(now)]);
    // Each step was done by one of them while the other found it taken, or by both one after the other.
    expect([...a.created, ...b.created].sort()).toEqual([
      'usage_records_y2032m02',
      'usage_records_y2032m03',
      'usage_records_y2032m04',
    ]);
    expect(await partitions()).toContain('usage_records_y2032m04');

    const created = await Promise.all(
      [0, 1].map(() =>
        fresh.db.query<{ p: string | null }>("select usage_records_ensure_partition('2034-01-05') as p"),
      ),
    );
    // One made it; the other waited for it and found it there.
    expect(created.map(([{ p }]) => p)).toEqual(expect.arrayContaining(['usage_records_y2034m01', null]));
  });

  it('drops whole months older than the retention, keeping rollups and totals; refuses records older than it', async () => {
    const before = await totals();
    const rollupsBefore = await hourlyRows();

    const run = await lifecycle(2).run(new Date('2032-03-05T00:00:00Z'));
    expect(run.recordsHorizon).toEqual(new Date('2032-01-01T00:00:00Z'));
    // The partitions of the real current months, made by the migration, are older than this test's horizon too.
    expect(testMonths(run.dropped)).toEqual([
      'usage_records_y2031m06',
      'usage_records_y2031m11',
      'usage_records_y2031m12',
    ]);
    expect(await partitions()).not.toContain('usage_records_y2031m12');
    expect(await partitions()).toContain('usage_records_y2032m01');
    expect(logs.find((l) => l.msg === 'usage records dropped (retention)')).toMatchObject({
      partitions: run.dropped,
      before: '2032-01-01T00:00:00.000Z',
    });
    expect(await placeOf(r1.requestId)).toBeNull();
    expect(await placeOf(r3.requestId)).toBe('usage_records_y2032m01');
    expect(await hourlyRows()).toEqual(rollupsBefore);
    expect(await totals()).toEqual(before);

    // r2 may have been stored (it was): re-sent after its month is gone, it must not count twice.
    const answer = await ingest([r2, r3, r5]);
    expect(answer).toEqual({
      accepted: 1,
      duplicates: 1,
      rejected: [
        {
          index: 0,
          requestId: r2.requestId,
          field: 'ts',
          reason:
            'ts: older than the usage retention horizon (2032-01-01T00:00:00.000Z); whether it was stored before can no longer be checked',
        },
      ],
    });
    expect(logs.find((l) => l.msg === 'usage records older than the retention horizon refused')).toMatchObject({
      count: 1,
    });
  });

  it('forgets request ids below the horizon one run after it moved', async () => {
    // The run that moved the horizon kept them: an ingest may have read the old horizon just before.
    expect(await ids()).toEqual(['req-lc-1', 'req-lc-2', 'req-lc-3', 'req-lc-4', 'req-lc-5']);
    const run = await lifecycle(2).run(new Date('2032-03-05T01:00:00Z'));
    expect(run.forgottenIds).toBe(2);
    expect(await ids()).toEqual(['req-lc-3', 'req-lc-4', 'req-lc-5']);
    expect((await lifecycle(2).run(new Date('2032-03-05T02:00:00Z'))).forgottenIds).toBe(0);
  });

  it('deletes rollup rows older than their own, longer retention only', async () => {
    const run = await lifecycle(2, 3).run(new Date('2032-05-05T00:00:00Z'));
    expect(run.dropped).toEqual(['usage_records_y2032m01', 'usage_records_y2032m02']);
    // r1, r2 (2031) and r3 (2032-01) go from the rollups; r5 (2032-02) and r4 (2033) stay.
    expect(run.rollupRowsDeleted).toBe(6);
    expect((await hourlyRows()).map((r) => r.hour)).toEqual([
      new Date('2032-02-20T12:00:00Z'),
      new Date('2033-05-01T00:00:00Z'),
    ]);
    expect(await totals()).toMatchObject({ requests: 2, costUsd: 1 });
    expect(logs.find((l) => l.msg === 'usage rollups dropped (retention)')).toMatchObject({ hourly: 3, daily: 3 });
  });
});
