// Usage: cost arithmetic, and the in-order batcher over the spool (partial rejection, isolating a refused batch,
// graceful stop). The spool itself is tested in spool.test.ts.
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IngestResult, type UsageRecord, unstorableTexts, usageRecord } from '@gw/schema';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ControlPlaneClient, ControlPlaneError } from '../control-plane-client.ts';
import { silentLogger } from '../logger.ts';
import { GatewayMetrics } from '../metrics.ts';
import { startFakeControlPlane } from '../test-support/fake-control-plane.ts';
import { sampleSnapshot, storeOf } from '../test-support/snapshots.ts';
import { UsageBatcher } from './batcher.ts';
import { DeadLetterFile, deadLetterName } from './dead-letter.ts';
import { ingestUsage, isPermanentIngestError } from './ingest.ts';
import { beginExchange, finishExchange, usageCostNano } from './meter.ts';
import { UsageSpool } from './spool.ts';
import { captureLogger, parsed, sampleRecord as rec } from './test-records.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dp-usage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const segments = async () => (await readdir(join(dir, 'usage-spool'))).filter((n) => n.startsWith('seg-'));
const acceptAll = (records: UsageRecord[]): IngestResult => ({ accepted: records.length, duplicates: 0, rejected: [] });

describe('meter', () => {
  it('prices uncached input, cached input and output separately, in whole nano-dollars rounded up', () => {
    const snapshot = sampleSnapshot();
    snapshot.models['m-1'].prices = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 };
    const entry = storeOf(snapshot).modelsByName.get('gpt-test')!;
    expect(entry.pico).toEqual({ input: 3_000_000, output: 15_000_000, cachedInput: 300_000 });
    expect(usageCostNano(entry, { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 0 })).toBe(6_000_000);
    expect(usageCostNano(entry, { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 400 })).toBe(
      600 * 3000 + 400 * 300,
    );
    // $0.000001 per million tokens is one pico-dollar per token: a token costs a thousandth of a nano-dollar, rounded up.
    const cheap = sampleSnapshot();
    cheap.models['m-1'].prices = { inputPerMTok: 0.000001, outputPerMTok: 0, cachedInputPerMTok: 0 };
    const tiny = storeOf(cheap).modelsByName.get('gpt-test')!;
    expect(usageCostNano(tiny, { inputTokens: 1, outputTokens: 0, cachedInputTokens: 0 })).toBe(1);
    expect(usageCostNano(entry, null)).toBe(0);
    expect(usageCostNano(null, { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 })).toBe(0);
  });

  it('builds a contract-valid record for authenticated requests and none for anonymous ones', () => {
    const store = storeOf(sampleSnapshot());
    const ex = beginExchange('0d7c1a4e-8c67-4a53-9f43-7a0c1f6b1d11');
    expect(finishExchange(ex, 'node-1', 'boot-0001', 401, 'caller_missing_api_key').record).toBeNull();

    const ex2 = beginExchange('1d7c1a4e-8c67-4a53-9f43-7a0c1f6b1d11');
    ex2.key = [...store.keysByHash.values()].find((k) => k.key.id === 'key-good')!;
    ex2.model = 'gpt-test';
    ex2.modelEntry = store.modelsByName.get('gpt-test')!;
    ex2.usage = { inputTokens: 10, outputTokens: 4, cachedInputTokens: 0 };
    const done = finishExchange(ex2, 'node-1', 'boot-0001', 200, null);
    expect(usageRecord.parse(done.record)).toEqual(done.record);
    expect(done.costNano).toBe((10 * 1 + 4 * 2) * 1000);
    expect(done.record?.costUsd).toBe(done.costNano / 1e9);
    expect(done.record?.bootId).toBe('boot-0001');
    expect(done.record).not.toHaveProperty('budgetUnchecked');

    const ex3 = beginExchange('2d7c1a4e-8c67-4a53-9f43-7a0c1f6b1d11');
    ex3.key = ex2.key;
    ex3.budgetUnchecked = true;
    const unchecked = finishExchange(ex3, 'node-1', 'boot-0001', 502, 'provider_error').record;
    expect(usageRecord.parse(unchecked)).toEqual(unchecked);
    expect(unchecked?.budgetUnchecked).toBe(true);
    expect(done.labels).toMatchObject({ org: 'org-1', team: 'team-1', model: 'gpt-test', status: 200 });
  });

  it.each(unstorableTexts)('records a refused request whose model is %s with the text made storable', (_, text) => {
    const store = storeOf(sampleSnapshot());
    const ex = beginExchange('1d7c1a4e-8c67-4a53-9f43-7a0c1f6b1d12');
    ex.key = [...store.keysByHash.values()].find((k) => k.key.id === 'key-good')!;
    // Longer than a record holds too, so that the cut is exercised as well.
    ex.model = text.repeat(Math.ceil(300 / text.length));
    const { record } = finishExchange(ex, 'node-1', 'boot-0001', 400, 'caller_invalid_request');
    expect(usageRecord.safeParse(record).success).toBe(true);
    expect(record?.model).toContain('�');
  });
});

describe('UsageBatcher', () => {
  it('sends in order, in batches of batchSize, and empties the spool on success', async () => {
    const spool = await UsageSpool.open(dir);
    const sent: string[][] = [];
    const batcher = new UsageBatcher({
      spool,
      deadLetter: await DeadLetterFile.open(dir),
      send: parsed(async (records) => {
        sent.push(records.map((r) => r.requestId));
        return acceptAll(records);
      }),
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
    await batcher.stop(1000);
    expect(await segments()).toEqual([]);
  });

  it('keeps order across failures and retries after a backoff', async () => {
    const spool = await UsageSpool.open(dir);
    const sent: string[] = [];
    let fail = true;
    const batcher = new UsageBatcher({
      spool,
      deadLetter: await DeadLetterFile.open(dir),
      send: parsed(async (records) => {
        if (fail) throw new Error('control plane down');
        sent.push(...records.map((r) => r.requestId));
        return acceptAll(records);
      }),
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

  it('resumes within two seconds of the control plane being back, however long the outage', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    try {
      const spool = await UsageSpool.open(dir);
      const attempts: number[] = [];
      let backAt = Number.POSITIVE_INFINITY;
      const batcher = new UsageBatcher({
        spool,
        deadLetter: await DeadLetterFile.open(dir),
        send: parsed(async (records) => {
          attempts.push(Date.now());
          if (Date.now() < backAt) throw new Error('connect ECONNREFUSED');
          return acceptAll(records);
        }),
        batchSize: 500,
        flushMs: 1_000,
        logger: silentLogger(),
      });
      batcher.record(rec());
      batcher.start();
      const t0 = Date.now();
      // Ten minutes of outage, in steps of 100 ms.
      while (Date.now() - t0 < 600_000) await vi.advanceTimersByTimeAsync(100);
      backAt = Date.now();
      while (spool.openCount + spool.pendingCount > 0 && Date.now() - backAt < 60_000) {
        await vi.advanceTimersByTimeAsync(100);
      }
      expect(spool.openCount + spool.pendingCount).toBe(0);
      expect(attempts.at(-1)! - backAt).toBeLessThanOrEqual(2_000);
      const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(2_000);
      await batcher.stop(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('retries at once when told the control plane is back', async () => {
    const spool = await UsageSpool.open(dir);
    let up = false;
    const sent: string[] = [];
    const batcher = new UsageBatcher({
      spool,
      deadLetter: await DeadLetterFile.open(dir),
      send: parsed(async (records) => {
        if (!up) throw new Error('down');
        sent.push(...records.map((r) => r.requestId));
        return acceptAll(records);
      }),
      batchSize: 10,
      flushMs: 60_000,
      logger: silentLogger(),
      backoff: { minMs: 60_000, maxMs: 60_000 },
    });
    const r = rec();
    batcher.record(r);
    await batcher.flush();
    expect(sent).toEqual([]);
    up = true;
    batcher.retryNow();
    await batcher.flush();
    expect(sent).toEqual([r.requestId]);
  });

  it('leaves records in the spool when stopping while the control plane is down, and replays them next start', async () => {
    const spool = await UsageSpool.open(dir);
    const down = new UsageBatcher({
      spool,
      deadLetter: await DeadLetterFile.open(dir),
      send: parsed(async () => {
        throw new Error('down');
      }),
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
      deadLetter: await DeadLetterFile.open(dir),
      send: parsed(async (rs) => {
        got.push(...rs);
        return acceptAll(rs);
      }),
      batchSize: 10,
      flushMs: 60_000,
      logger: silentLogger(),
    });
    expect(await up.stop(500)).toEqual({ sent: true, left: 0 });
    expect(got).toEqual(records);
  });

  it('acknowledges every record of an answered batch; rejected ones go to the dead-letter file, logged with requestId and reason, and counted', async () => {
    const spool = await UsageSpool.open(dir);
    const { logger, lines } = captureLogger();
    const metrics = new GatewayMetrics({ userLabels: false, keyLabels: false });
    const calls: string[][] = [];
    const batcher = new UsageBatcher({
      spool,
      deadLetter: await DeadLetterFile.open(dir),
      send: parsed(async (rs) => {
        calls.push(rs.map((r) => r.requestId));
        return {
          accepted: rs.length - 2,
          duplicates: 0,
          rejected: [
            { index: 1, requestId: rs[1].requestId, field: 'inputTokens', reason: 'inputTokens: Too small' },
            { index: 3, requestId: null, field: 'requestId', reason: 'requestId: Too small' },
          ],
        };
      }),
      onRejected: (n) => metrics.usageRejected.inc(n),
      batchSize: 10,
      flushMs: 60_000,
      logger,
    });
    const records = Array.from({ length: 5 }, () => rec());
    for (const r of records) batcher.record(r);
    await batcher.flush();
    expect(calls).toEqual([records.map((r) => r.requestId)]); // sent once, not retried
    expect(spool.openCount).toBe(0);
    expect(await metrics.metrics()).toContain('gateway_usage_rejected_total 2');
    const letters = (await readFile(join(dir, deadLetterName), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(letters).toEqual([
      { rejectedAt: expect.any(String), reason: 'inputTokens: Too small', field: 'inputTokens', record: records[1] },
      { rejectedAt: expect.any(String), reason: 'requestId: Too small', field: 'requestId', record: records[3] },
    ]);
    expect((await stat(join(dir, deadLetterName))).mode & 0o777).toBe(0o600);
    const reopened = await DeadLetterFile.open(dir);
    expect(reopened.records).toBe(2);
    expect(reopened.lastAt).toBeInstanceOf(Date);
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toEqual([
      expect.objectContaining({
        msg: 'control plane rejected a usage record; it is kept in the dead-letter file',
        requestId: records[1].requestId,
        index: 1,
        field: 'inputTokens',
        reason: 'inputTokens: Too small',
      }),
      // The control plane could not read this one's requestId; the data plane still knows it.
      expect.objectContaining({ requestId: records[3].requestId, index: 3, reason: 'requestId: Too small' }),
    ]);
  });

  it('keeps a batch with rejected records in the spool while the dead-letter file cannot be written', async () => {
    const spool = await UsageSpool.open(dir);
    const letters = await DeadLetterFile.open(dir);
    await mkdir(join(dir, deadLetterName)); // a directory where the file should be: every write fails
    const { logger, lines } = captureLogger();
    let calls = 0;
    const batcher = new UsageBatcher({
      spool,
      deadLetter: letters,
      send: parsed(async (rs) => {
        calls++;
        return {
          accepted: rs.length - 1,
          duplicates: 0,
          rejected: [{ index: 0, requestId: rs[0].requestId, field: 'model', reason: 'model: bad' }],
        };
      }),
      batchSize: 10,
      flushMs: 60_000,
      logger,
      backoff: { minMs: 60_000, maxMs: 60_000 },
    });
    batcher.record(rec());
    batcher.record(rec());
    await batcher.flush();
    expect(calls).toBe(1);
    expect(spool.openCount).toBe(2); // nothing acknowledged: the rejected record must not be lost
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'could not write the usage dead-letter file; will retry' }),
    );
  });

  it('isolates the records at fault when the control plane refuses a whole batch, rejecting only them', async () => {
    const spool = await UsageSpool.open(dir);
    const records = Array.from({ length: 1000 }, () => rec());
    const bad = new Set([records[137].requestId, records[400].requestId]);
    const stored: string[] = [];
    const sizes: number[] = [];
    let rejectedCount = 0;
    const { logger, lines } = captureLogger();
    const batcher = new UsageBatcher({
      spool,
      deadLetter: await DeadLetterFile.open(dir),
      // As an older control plane would: one bad record fails the whole batch.
      send: parsed(async (rs) => {
        sizes.push(rs.length);
        if (rs.some((r) => bad.has(r.requestId))) throw new ControlPlaneError('invalid batch', ['BAD_USER_INPUT']);
        stored.push(...rs.map((r) => r.requestId));
        return acceptAll(rs);
      }),
      isPermanent: isPermanentIngestError,
      onRejected: (n) => void (rejectedCount += n),
      batchSize: 500,
      flushMs: 60_000,
      logger,
    });
    for (const r of records) batcher.record(r);
    await batcher.flush();
    expect(stored).toEqual(records.filter((r) => !bad.has(r.requestId)).map((r) => r.requestId));
    expect(rejectedCount).toBe(2);
    expect(spool.openCount).toBe(0);
    const rejectedIds = lines.filter((l) => l.level === 50).map((l) => l.requestId);
    expect(rejectedIds).toEqual([records[137].requestId, records[400].requestId]);
    // Halving finds each bad record in about log2(500) calls, then batches grow back to full size.
    expect(sizes.length).toBeLessThan(60);
    expect(Math.max(...sizes.slice(-3))).toBeGreaterThanOrEqual(256);
  });

  it('keeps retrying, with backoff, errors that are not a refusal of the batch', async () => {
    const spool = await UsageSpool.open(dir);
    let calls = 0;
    const batcher = new UsageBatcher({
      spool,
      deadLetter: await DeadLetterFile.open(dir),
      send: parsed(async () => {
        calls++;
        throw new ControlPlaneError('control plane answered HTTP 503');
      }),
      isPermanent: isPermanentIngestError,
      batchSize: 10,
      flushMs: 60_000,
      logger: silentLogger(),
      backoff: { minMs: 60_000, maxMs: 60_000 },
    });
    batcher.record(rec());
    await batcher.flush();
    await batcher.flush();
    expect(calls).toBe(1);
    expect(spool.openCount).toBe(1);
  });

  it('writes what is pending at stop and sends it before returning', async () => {
    const spool = await UsageSpool.open(dir);
    const got: string[] = [];
    const batcher = new UsageBatcher({
      spool,
      deadLetter: await DeadLetterFile.open(dir),
      send: parsed(async (rs) => {
        got.push(...rs.map((r) => r.requestId));
        return acceptAll(rs);
      }),
      batchSize: 2,
      flushMs: 60_000,
      logger: silentLogger(),
    });
    batcher.start();
    const records = Array.from({ length: 5 }, () => rec());
    for (const r of records) batcher.record(r);
    expect(await batcher.stop(1000)).toEqual({ sent: true, left: 0 });
    expect(got).toEqual(records.map((r) => r.requestId));
    expect(await segments()).toEqual([]);
  });

  /** A batcher whose control plane accepts everything, counting the records it was sent. */
  async function acceptingBatcher(spool: UsageSpool, batchSize: number, flushMs: number) {
    const counted = { sent: 0 };
    const batcher = new UsageBatcher({
      spool,
      deadLetter: await DeadLetterFile.open(dir),
      send: parsed(async (rs) => {
        counted.sent += rs.length;
        return acceptAll(rs);
      }),
      batchSize,
      flushMs,
      logger: silentLogger(),
    });
    return { batcher, counted };
  }

  it('sends early when a full batch is waiting, without waiting for the timer', async () => {
    const { batcher, counted } = await acceptingBatcher(await UsageSpool.open(dir), 2, 60_000);
    batcher.record(rec());
    batcher.record(rec());
    await new Promise((r) => setTimeout(r, 50));
    expect(counted.sent).toBe(2);
  });

  it('idle (nothing pending, nothing unacknowledged), its ticks and the spool’s queue no file operation', async () => {
    const spool = await UsageSpool.open(dir, { writeIntervalMs: 10 });
    const { batcher, counted } = await acceptingBatcher(spool, 100, 10);
    batcher.record(rec());
    batcher.start();
    await vi.waitFor(() => expect(counted.sent).toBe(1));
    await vi.waitFor(() => expect(spool.openCount + spool.pendingCount).toBe(0));
    await new Promise((r) => setTimeout(r, 50));
    const flush = vi.spyOn(spool, 'flush');
    const read = vi.spyOn(spool, 'read');
    await new Promise((r) => setTimeout(r, 100));
    expect(flush).not.toHaveBeenCalled();
    expect(read).not.toHaveBeenCalled();
    // A new record is picked up by the next tick.
    batcher.record(rec());
    await vi.waitFor(() => expect(counted.sent).toBe(2));
    await batcher.stop(1000);
  });
});

describe('ingestUsage', () => {
  it('sends the record lines as they are inside one valid GraphQL body, asks for the rejected records, and treats an answer without them as none rejected', async () => {
    const cp = await startFakeControlPlane({ token: 't' });
    const client = new ControlPlaneClient({ url: cp.httpUrl, token: 't' });
    try {
      const records = [rec(), rec()];
      const lines = records.map((r) => JSON.stringify(r));
      expect(await ingestUsage(client)(lines)).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
      expect(cp.posts[0].query).toContain('rejected { index requestId field reason }');
      expect(cp.posts[0].variables).toEqual({ b: { records } });
    } finally {
      await client.close();
      await cp.close();
    }
  });

  it('counts only a BAD_USER_INPUT refusal as permanent', () => {
    expect(isPermanentIngestError(new ControlPlaneError('x', ['BAD_USER_INPUT']))).toBe(true);
    expect(isPermanentIngestError(new ControlPlaneError('x', ['INTERNAL_SERVER_ERROR']))).toBe(false);
    expect(isPermanentIngestError(new ControlPlaneError('control plane answered HTTP 502'))).toBe(false);
    expect(isPermanentIngestError(new Error('BAD_USER_INPUT'))).toBe(false);
  });
});
