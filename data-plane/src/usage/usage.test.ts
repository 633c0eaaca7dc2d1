// Usage: cost arithmetic, the JSONL spool (replay, ack, compaction) and the in-order batcher.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type UsageRecord, usageRecord } from '@gw/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { sampleSnapshot, storeOf } from '../test-support/snapshots.ts';
import { UsageBatcher } from './batcher.ts';
import { beginExchange, costUsd, finishExchange } from './meter.ts';
import { UsageSpool } from './spool.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dp-usage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

let seq = 0;
function rec(extra: Partial<UsageRecord> = {}): UsageRecord {
  seq++;
  return {
    requestId: `req-${String(seq).padStart(8, '0')}`,
    ts: new Date().toISOString(),
    nodeId: 'n',
    orgId: 'o',
    teamId: null,
    userId: null,
    keyId: 'k',
    model: 'm',
    provider: 'openai',
    upstreamModel: 'u',
    inputTokens: 1,
    outputTokens: 1,
    cachedInputTokens: 0,
    costUsd: 0,
    latencyMs: 1,
    overheadMs: 0.1,
    status: 200,
    errorCode: null,
    stream: false,
    ...extra,
  };
}

const fileLines = async (spool: UsageSpool) => (await readFile(spool.path, 'utf8')).split('\n').filter(Boolean);

describe('meter', () => {
  it('prices uncached input, cached input and output separately', () => {
    const prices = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 };
    expect(costUsd(prices, { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 0 })).toBeCloseTo(0.006, 12);
    expect(costUsd(prices, { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 400 })).toBeCloseTo(
      (600 * 3 + 400 * 0.3) / 1e6,
      12,
    );
    expect(costUsd(prices, null)).toBe(0);
  });

  it('builds a contract-valid record for authenticated requests and none for anonymous ones', () => {
    const store = storeOf(sampleSnapshot());
    const ex = beginExchange('0d7c1a4e-8c67-4a53-9f43-7a0c1f6b1d11');
    expect(finishExchange(ex, 'node-1', 401, 'caller_missing_api_key').record).toBeNull();

    const ex2 = beginExchange('1d7c1a4e-8c67-4a53-9f43-7a0c1f6b1d11');
    ex2.key = [...store.keysByHash.values()].find((k) => k.key.id === 'key-good')!;
    ex2.model = 'gpt-test';
    ex2.modelEntry = store.modelsByName.get('gpt-test')!;
    ex2.usage = { inputTokens: 10, outputTokens: 4, cachedInputTokens: 0 };
    const done = finishExchange(ex2, 'node-1', 200, null);
    expect(usageRecord.parse(done.record)).toEqual(done.record);
    expect(done.record?.costUsd).toBeCloseTo((10 * 1 + 4 * 2) / 1e6, 12);
    expect(done.labels).toMatchObject({ org: 'org-1', team: 'team-1', model: 'gpt-test', status: 200 });
  });
});

describe('UsageSpool', () => {
  it('writes on flush, acknowledges with ack lines, and truncates once everything is acknowledged', async () => {
    const spool = await UsageSpool.open(dir);
    const a = rec();
    const b = rec();
    spool.append(a);
    spool.append(b);
    expect(spool.pendingCount).toBe(2);
    expect(spool.peek(10)).toEqual([]); // not on disk yet: not sent yet
    await spool.flush();
    expect(await fileLines(spool)).toHaveLength(2);
    expect(spool.peek(10)).toEqual([a, b]);
    await spool.ack(1);
    expect(await fileLines(spool)).toEqual([
      JSON.stringify(a),
      JSON.stringify(b),
      JSON.stringify({ ack: [a.requestId] }),
    ]);
    await spool.ack(1);
    expect(await readFile(spool.path, 'utf8')).toBe('');
  });

  it('replays unacknowledged records after a restart, in order, skipping a torn last line', async () => {
    const first = await UsageSpool.open(dir);
    const records = [rec(), rec(), rec()];
    for (const r of records) first.append(r);
    await first.flush();
    await first.ack(1);
    await writeFile(first.path, `${await readFile(first.path, 'utf8')}{"requestId":"torn`);

    const second = await UsageSpool.open(dir, silentLogger());
    expect(second.peek(10)).toEqual(records.slice(1));
    // Opening compacts: only the open records remain in the file.
    expect(await fileLines(second)).toEqual(records.slice(1).map((r) => JSON.stringify(r)));
  });

  it('compacts once acknowledged records outnumber the open ones', async () => {
    const spool = await UsageSpool.open(dir);
    for (let i = 0; i < 1500; i++) spool.append(rec());
    await spool.flush();
    await spool.ack(1200);
    const lines = await fileLines(spool);
    expect(lines).toHaveLength(300);
    expect(spool.openCount).toBe(300);
  });
});

describe('UsageBatcher', () => {
  it('sends in order, in batches of batchSize, and empties the spool on success', async () => {
    const spool = await UsageSpool.open(dir);
    const sent: string[][] = [];
    const batcher = new UsageBatcher({
      spool,
      send: async (records) => void sent.push(records.map((r) => r.requestId)),
      batchSize: 3,
      flushMs: 60_000,
      logger: silentLogger(),
    });
    const records = Array.from({ length: 7 }, () => rec());
    for (const r of records) batcher.record(r);
    await batcher.flush();
    expect(sent.flat()).toEqual(records.map((r) => r.requestId));
    expect(sent.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(spool.openCount).toBe(0);
    expect(await readFile(spool.path, 'utf8')).toBe('');
  });

  it('keeps order across failures and retries after a backoff', async () => {
    const spool = await UsageSpool.open(dir);
    const sent: string[] = [];
    let fail = true;
    const batcher = new UsageBatcher({
      spool,
      send: async (records) => {
        if (fail) throw new Error('control plane down');
        sent.push(...records.map((r) => r.requestId));
      },
      batchSize: 2,
      flushMs: 60_000,
      logger: silentLogger(),
      backoff: { minMs: 20, maxMs: 40 },
    });
    const records = Array.from({ length: 5 }, () => rec());
    for (const r of records.slice(0, 3)) batcher.record(r);
    await batcher.flush();
    expect(sent).toEqual([]);
    expect(spool.openCount).toBe(3);
    fail = false;
    for (const r of records.slice(3)) batcher.record(r);
    await batcher.flush(); // still inside the backoff window: nothing sent
    expect(sent).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    await batcher.flush();
    expect(sent).toEqual(records.map((r) => r.requestId));
  });

  it('leaves records in the spool when stopping while the control plane is down, and replays them next start', async () => {
    const spool = await UsageSpool.open(dir);
    const down = new UsageBatcher({
      spool,
      send: async () => {
        throw new Error('down');
      },
      batchSize: 10,
      flushMs: 60_000,
      logger: silentLogger(),
    });
    const records = [rec(), rec()];
    for (const r of records) down.record(r);
    expect(await down.stop(500)).toEqual({ sent: false, left: 2 });

    const replayed = await UsageSpool.open(dir);
    const got: UsageRecord[] = [];
    const up = new UsageBatcher({
      spool: replayed,
      send: async (rs) => void got.push(...rs),
      batchSize: 10,
      flushMs: 60_000,
      logger: silentLogger(),
    });
    expect(await up.stop(500)).toEqual({ sent: true, left: 0 });
    expect(got).toEqual(records);
  });

  it('drops a batch the control plane refuses as invalid instead of blocking the queue forever', async () => {
    const spool = await UsageSpool.open(dir);
    let calls = 0;
    const batcher = new UsageBatcher({
      spool,
      send: async () => {
        calls++;
        throw new Error('BAD_USER_INPUT');
      },
      isPermanent: () => true,
      batchSize: 10,
      flushMs: 60_000,
      logger: silentLogger(),
    });
    batcher.record(rec());
    await batcher.flush();
    expect(calls).toBe(1);
    expect(spool.openCount).toBe(0);
  });

  it('sends early when a full batch is waiting, without waiting for the timer', async () => {
    const spool = await UsageSpool.open(dir);
    let sent = 0;
    const batcher = new UsageBatcher({
      spool,
      send: async (rs) => void (sent += rs.length),
      batchSize: 2,
      flushMs: 60_000,
      logger: silentLogger(),
    });
    batcher.record(rec());
    batcher.record(rec());
    await new Promise((r) => setTimeout(r, 50));
    expect(sent).toBe(2);
  });
});
