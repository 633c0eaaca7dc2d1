// One record PostgreSQL cannot store never costs its batch: the contract answers it, and whatever still reaches the
// database and is refused there is isolated and answered on its own while every other record is stored.
import { unstorableTexts } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { createOrg } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { dataPlaneToken } from '../../test-support/test-app.ts';
import { ingestMutation, usageRecord } from './test-records.ts';

const t = useApiSuite();

interface Answer {
  accepted: number;
  duplicates: number;
  rejected: { index: number; requestId: string | null; field: string | null; reason: string }[];
}

async function ingest(records: unknown[]): Promise<Answer> {
  const res = await t.app.gql<{ ingestUsage: Answer }>(ingestMutation, { b: { records } }, dataPlaneToken);
  expect(res.errors).toBeUndefined();
  return res.data!.ingestUsage;
}

async function stored(ids: string[]): Promise<string[]> {
  const rows = await t.db.query('select request_id from usage_records where request_id = any($1)', [ids]);
  return rows.map((r) => r.request_id as string).sort();
}

describe('text PostgreSQL refuses, in a batch with good records', () => {
  const fields = ['model', 'provider', 'upstreamModel', 'errorCode', 'nodeId', 'teamId', 'userId', 'moduleId'];
  const cases = fields.flatMap((field) => unstorableTexts.map(([kind, text]) => [field, kind, text] as const));

  it.each(cases)('%s with %s: that record is answered, the others are stored', async (field, _kind, text) => {
    const orgId = await createOrg(t.app, `Text ${field} ${_kind}`.slice(0, 60));
    const before = usageRecord(orgId);
    const bad = usageRecord(orgId, { [field]: text });
    const after = usageRecord(orgId);
    const answer = await ingest([before, bad, after]);
    expect(answer).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, requestId: bad.requestId, field, reason: expect.stringMatching(new RegExp(`^${field}: `)) },
      ],
    });
    expect(answer.rejected[0].reason).not.toContain(text);
    expect(await stored([before.requestId, bad.requestId, after.requestId])).toEqual(
      [before.requestId, after.requestId].sort(),
    );
  });
});

describe('values the contract lets through but the database refuses', () => {
  it('stores every other record of the batch and answers each refused one by index, without its value', async () => {
    // A trigger stands for any refusal the contract cannot foresee (a new constraint, an index limit, a bug).
    await t.db.query(`create function poison_usage() returns trigger language plpgsql as $$
      begin
        if new.model like 'poison%' then raise exception 'cannot store %', new.model using errcode = '22021'; end if;
        return new;
      end $$`);
    await t.db.query(
      'create trigger poison_usage before insert on usage_records for each row execute function poison_usage()',
    );
    try {
      const orgId = await createOrg(t.app, 'Poison Org');
      const records = Array.from({ length: 40 }, (_, i) =>
        usageRecord(orgId, { model: [3, 17, 39].includes(i) ? `poison-secret-${i}` : 'gpt-4o-mini' }),
      );
      records.push(records[17]); // a repeat of a refused record shares its fate
      const answer = await ingest(records);
      expect(answer.accepted).toBe(37);
      expect(answer.duplicates).toBe(0);
      expect(answer.rejected.map((r) => [r.index, r.requestId])).toEqual(
        [3, 17, 39, 40].map((i) => [i, records[i].requestId]),
      );
      for (const r of answer.rejected) {
        expect(r.reason).toBe('record: the database refused it (SQLSTATE 22021: a value it cannot store)');
      }
      const good = records.filter((r) => !r.model.startsWith('poison')).map((r) => r.requestId);
      expect(await stored(records.map((r) => r.requestId))).toEqual(good.sort());
      const rollup = await t.db.query('select sum(requests)::int as n from usage_hourly where org_id = $1', [orgId]);
      expect(rollup[0].n).toBe(37);
      const warn = t.app.logs.find((l) => l.msg === 'usage records refused by the database');
      expect(JSON.stringify(warn)).not.toContain('poison-secret');
    } finally {
      await t.db.query('drop trigger poison_usage on usage_records');
      await t.db.query('drop function poison_usage()');
    }
  });

  it('keeps the whole batch when the database fails for a reason that is not the data', async () => {
    await t.db.query(`create function broken_usage() returns trigger language plpgsql as $$
      begin raise exception 'disk trouble' using errcode = '53100'; end $$`);
    await t.db.query(
      'create trigger broken_usage before insert on usage_records for each statement execute function broken_usage()',
    );
    try {
      const orgId = await createOrg(t.app, 'Broken Db Org');
      const records = [usageRecord(orgId), usageRecord(orgId)];
      t.expectErrorLogs(1);
      const res = await t.app.gql(ingestMutation, { b: { records } }, dataPlaneToken);
      // Not an answer for the records: the data plane keeps the batch and sends it again later.
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.[0].extensions?.code).not.toBe('BAD_USER_INPUT');
      expect(await stored(records.map((r) => r.requestId))).toEqual([]);
    } finally {
      await t.db.query('drop trigger broken_usage on usage_records');
      await t.db.query('drop function broken_usage()');
    }
  });
});
