// The usage contract: the envelope is checked alone, records one by one with field-level reasons.
import { describe, expect, it } from 'vitest';
import { unstorableTexts } from './text-samples.ts';
import { checkUsageRecords, maxUsageBatchRecords, type UsageRecord, usageBatchEnvelope } from './usage.ts';

function record(patch: Record<string, unknown> = {}): UsageRecord {
  return {
    requestId: 'req-00000001',
    ts: '2030-01-01T10:00:00.000Z',
    nodeId: 'dp-1',
    orgId: 'o',
    teamId: null,
    userId: null,
    keyId: 'k',
    moduleId: null,
    model: 'm',
    provider: 'openai',
    upstreamModel: 'u',
    inputTokens: 1,
    outputTokens: 1,
    cachedInputTokens: 0,
    costUsd: 0,
    latencyMs: 1,
    overheadMs: 0,
    status: 200,
    errorCode: null,
    stream: false,
    ...patch,
  } as UsageRecord;
}

describe('usage batch envelope', () => {
  it('accepts any records array of 1 to the max, whatever the records hold', () => {
    expect(usageBatchEnvelope.safeParse({ records: [1, 'x', null] }).success).toBe(true);
    expect(usageBatchEnvelope.safeParse({ records: [] }).success).toBe(false);
    expect(usageBatchEnvelope.safeParse({ records: Array(maxUsageBatchRecords + 1).fill({}) }).success).toBe(false);
    expect(usageBatchEnvelope.safeParse({ records: [{}], extra: 1 }).success).toBe(false);
    expect(usageBatchEnvelope.safeParse([record()]).success).toBe(false);
    expect(usageBatchEnvelope.safeParse({}).success).toBe(false);
  });
});

describe('checkUsageRecords', () => {
  it('keeps valid records in order and explains each rejection by index, requestId and field', () => {
    const good1 = record({ requestId: 'req-good-0001' });
    const good2 = record({ requestId: 'req-good-0002' });
    const { valid, rejected } = checkUsageRecords([
      good1,
      record({ requestId: 'req-bad-00001', inputTokens: -1 }),
      'not a record',
      record({ requestId: 'short', status: 700 }),
      { ...good1, requestId: 'req-extra-0001', surprise: true },
      good2,
    ]);
    expect(valid).toEqual([good1, good2]);
    expect(rejected).toEqual([
      { index: 1, requestId: 'req-bad-00001', field: 'inputTokens', reason: expect.stringMatching(/^inputTokens: /) },
      { index: 2, requestId: null, field: null, reason: expect.stringMatching(/^record: /) },
      {
        index: 3,
        requestId: null,
        field: 'requestId',
        reason: expect.stringMatching(/^requestId: .*\(and 1 more\)$/),
      },
      { index: 4, requestId: 'req-extra-0001', field: null, reason: expect.stringContaining('surprise') },
    ]);
  });

  it('never echoes the bad value in the reason', () => {
    const secretish = 'sk-live-should-not-appear-anywhere';
    const { rejected } = checkUsageRecords([record({ inputTokens: secretish })]);
    expect(rejected[0].field).toBe('inputTokens');
    expect(rejected[0].reason).not.toContain(secretish);
  });
});

describe('text PostgreSQL cannot store', () => {
  const textFields = ['requestId', 'nodeId', 'orgId', 'teamId', 'userId', 'keyId', 'moduleId', 'model', 'provider'];
  const cases = textFields.flatMap((field) =>
    unstorableTexts.map(([kind, text]) => [field, kind, `${text}-padding-to-min-length`] as const),
  );

  it.each(cases)('rejects %s with %s, naming the field and not the value', (field, _kind, text) => {
    const { valid, rejected } = checkUsageRecords([record({ [field]: text })]);
    expect(valid).toEqual([]);
    expect(rejected[0].field).toBe(field);
    expect(rejected[0].reason).not.toContain(text);
  });

  it.each([
    ['costUsd', 1e10],
    ['inputTokens', 2 ** 41],
    ['orgId', 'o'.repeat(65)],
    ['ts', '0000-01-01T00:00:00Z'],
    ['ts', '2030-01-01T00:00:00+16:00'],
  ])('rejects %s = %s, beyond what the columns and rollups hold', (field, value) => {
    expect(checkUsageRecords([record({ [field]: value })]).rejected[0].field).toBe(field);
  });
});
