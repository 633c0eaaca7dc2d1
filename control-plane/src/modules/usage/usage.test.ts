// Usage ingestion is idempotent and accepts valid records of a batch while answering each invalid one;
// aggregates per org respect the [from, to) window.
import { randomUUID } from 'node:crypto';
import type { UsageRecord } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { createKey, createOrg } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { dataPlaneToken } from '../../test-support/test-app.ts';
import { ingestMutation, usageRecord } from './test-records.ts';

const t = useApiSuite();

function record(orgId: string, keyId: string, patch: Partial<UsageRecord> = {}): UsageRecord {
  return usageRecord(orgId, { keyId, ...patch });
}

describe('ingestUsage', () => {
  it('stores each requestId once: the same batch twice is accepted, then all duplicates', async () => {
    const orgId = await createOrg(t.app, 'Usage Org');
    const key = await createKey(t.app, { orgId });
    const batch = {
      records: [
        record(orgId, key.id, { ts: '2030-01-01T10:00:00.000Z' }),
        record(orgId, key.id, { ts: '2030-01-01T11:00:00.000Z', status: 502, errorCode: 'provider_error', costUsd: 0 }),
        record(orgId, key.id, {
          ts: '2030-01-02T09:00:00.000Z',
          inputTokens: 1000,
          outputTokens: 500,
          costUsd: 0.00045,
        }),
      ],
    };
    const first = await t.app.gql(ingestMutation, { b: batch }, dataPlaneToken);
    expect(first.data).toEqual({ ingestUsage: { accepted: 3, duplicates: 0, rejected: [] } });
    const second = await t.app.gql(ingestMutation, { b: batch }, dataPlaneToken);
    expect(second.data).toEqual({ ingestUsage: { accepted: 0, duplicates: 3, rejected: [] } });
    const rows = await t.db.query('select request_id, cost_usd, status, error_code from usage_records order by ts');
    expect(rows.map((r) => r.request_id)).toEqual(batch.records.map((r) => r.requestId));
    expect(rows[1]).toMatchObject({ status: 502, error_code: 'provider_error' });

    const [k] = await t.db.query('select last_used_at from virtual_keys where id = $1', [key.id]);
    expect(new Date(k.last_used_at).toISOString()).toBe('2030-01-02T09:00:00.000Z');

    const usage = `query($id: ID!, $from: DateTime, $to: DateTime) { organization(id: $id) {
      usage(from: $from, to: $to) { requests errors inputTokens outputTokens costUsd } } }`;
    const all = await t.app.gql<{ organization: { usage: unknown } }>(usage, { id: orgId });
    expect(all.data?.organization.usage).toEqual({
      requests: 3,
      errors: 1,
      inputTokens: 1200,
      outputTokens: 540,
      costUsd: 0.000477,
    });
    const day1 = await t.app.gql<{ organization: { usage: unknown } }>(usage, {
      id: orgId,
      from: '2030-01-01T00:00:00Z',
      to: '2030-01-02T09:00:00Z',
    });
    expect(day1.data?.organization.usage).toMatchObject({ requests: 2, errors: 1, inputTokens: 200 });

    const byOrg = await t.app.gql<{
      usageByOrg: { nodes: { orgId: string; orgName: string; totals: { requests: number } }[] };
    }>('{ usageByOrg { nodes { orgId orgName totals { requests costUsd } } } }');
    expect(byOrg.data?.usageByOrg.nodes).toContainEqual({
      orgId,
      orgName: 'Usage Org',
      totals: { requests: 3, costUsd: 0.000477 },
    });
  });

  it('stores whether a record is incomplete (a request a crash cut short), false when the field is absent', async () => {
    const orgId = await createOrg(t.app, 'Crash Org');
    const cut = record(orgId, randomUUID(), { status: 502, errorCode: 'gateway_interrupted', incomplete: true });
    const whole = record(orgId, randomUUID());
    const res = await t.app.gql(ingestMutation, { b: { records: [cut, whole] } }, dataPlaneToken);
    expect(res.data).toEqual({ ingestUsage: { accepted: 2, duplicates: 0, rejected: [] } });
    const rows = await t.db.query(
      'select request_id, incomplete from usage_records where request_id = any($1) order by incomplete',
      [[cut.requestId, whole.requestId]],
    );
    expect(rows).toEqual([
      { request_id: whole.requestId, incomplete: false },
      { request_id: cut.requestId, incomplete: true },
    ]);
  });

  it('counts repeats inside one batch as duplicates', async () => {
    const orgId = await createOrg(t.app, 'Repeat Org');
    const r = record(orgId, randomUUID());
    const res = await t.app.gql(
      ingestMutation,
      { b: { records: [r, r, record(orgId, randomUUID())] } },
      dataPlaneToken,
    );
    expect(res.data).toEqual({ ingestUsage: { accepted: 2, duplicates: 1, rejected: [] } });
  });

  it('stores the valid records of a batch and answers each invalid one with its index, requestId and field', async () => {
    const orgId = await createOrg(t.app, 'Partial Batch Org');
    const good = [record(orgId, randomUUID()), record(orgId, randomUUID()), record(orgId, randomUUID())];
    const negative = { ...record(orgId, randomUUID()), inputTokens: -1 };
    const future = { ...record(orgId, randomUUID()), surprise: 1 }; // e.g. a newer data plane during an upgrade
    const noId = { ...record(orgId, randomUUID()), requestId: 42 };
    const records = [good[0], negative, good[1], future, 'not a record', noId, good[2]];
    const res = await t.app.gql<{ ingestUsage: { rejected: unknown[] } }>(
      ingestMutation,
      { b: { records } },
      dataPlaneToken,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.ingestUsage).toEqual({
      accepted: 3,
      duplicates: 0,
      rejected: [
        {
          index: 1,
          requestId: negative.requestId,
          field: 'inputTokens',
          reason: expect.stringMatching(/^inputTokens: /),
        },
        { index: 3, requestId: future.requestId, field: null, reason: expect.stringContaining('surprise') },
        { index: 4, requestId: null, field: null, reason: expect.stringMatching(/^record: /) },
        { index: 5, requestId: null, field: 'requestId', reason: expect.stringMatching(/^requestId: /) },
      ],
    });
    const ids = [...good, negative, future].map((r) => r.requestId);
    const rows = await t.db.query('select request_id from usage_records where request_id = any($1)', [ids]);
    expect(rows.map((r) => r.request_id).sort()).toEqual(good.map((r) => r.requestId).sort());

    // Sending the same batch again: the good ones are duplicates now, the bad ones are still rejected.
    const again = await t.app.gql<{ ingestUsage: { rejected: unknown[] } }>(
      ingestMutation,
      { b: { records } },
      dataPlaneToken,
    );
    expect(again.data?.ingestUsage).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(again.data?.ingestUsage.rejected).toHaveLength(4);

    const warn = t.app.logs.find((l) => l.msg === 'usage records rejected');
    expect(warn).toMatchObject({ level: 40, count: 4, records: 7 });
    expect(warn?.rejected).toEqual(res.data?.ingestUsage.rejected);
  });

  it('answers a batch of only invalid records without writing anything', async () => {
    const orgId = await createOrg(t.app, 'All Bad Org');
    const [{ count: before }] = await t.db.query('select count(*)::int as count from usage_records');
    const bad = { ...record(orgId, randomUUID()), status: 99 };
    const res = await t.app.gql(ingestMutation, { b: { records: [bad] } }, dataPlaneToken);
    expect(res.data).toEqual({
      ingestUsage: {
        accepted: 0,
        duplicates: 0,
        rejected: [{ index: 0, requestId: bad.requestId, field: 'status', reason: expect.any(String) }],
      },
    });
    const [{ count: after }] = await t.db.query('select count(*)::int as count from usage_records');
    expect(after).toBe(before);
  });

  it('refuses a malformed envelope as a whole with the issue path and writes nothing', async () => {
    const orgId = await createOrg(t.app, 'Bad Envelope Org');
    const [{ count: before }] = await t.db.query('select count(*)::int as count from usage_records');
    const good = record(orgId, randomUUID());
    const cases: [unknown, string][] = [
      [[good], 'batch'],
      [{}, 'batch.records'],
      [{ records: good }, 'batch.records'],
      [{ records: [] }, 'batch.records'],
      [{ records: Array.from({ length: 5001 }, () => good) }, 'batch.records'],
      [{ records: [good], surprise: 1 }, 'batch'],
    ];
    for (const [b, field] of cases) {
      const res = await t.app.gql(ingestMutation, { b }, dataPlaneToken);
      expect(res.data).toBeNull();
      expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    const [{ count: after }] = await t.db.query('select count(*)::int as count from usage_records');
    expect(after).toBe(before);
  });

  it('takes a full batch of 5000 records in one call', async () => {
    const orgId = await createOrg(t.app, 'Big Batch Org');
    const records = Array.from({ length: 5000 }, () => record(orgId, randomUUID()));
    const res = await t.app.gql(ingestMutation, { b: { records } }, dataPlaneToken);
    expect(res.data).toEqual({ ingestUsage: { accepted: 5000, duplicates: 0, rejected: [] } });
  });
});
