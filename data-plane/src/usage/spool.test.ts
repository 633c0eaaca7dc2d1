// The segmented usage spool: 100 ms writes, roll-over, durable acks and deletion, torn lines, migration from the
// single-file spool, the disk cap, a failing disk, and memory that does not grow with what is spooled.
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageRecord } from '@gw/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { GatewayMetrics } from '../metrics.ts';
import { UsageBatcher } from './batcher.ts';
import { DeadLetterFile } from './dead-letter.ts';
import { UsageSpool, type UsageSpoolOptions } from './spool.ts';
import { readSegment } from './spool-files.ts';
import { captureLogger, parsed, readRecords, sampleRecord as rec } from './test-records.ts';

let stateDir: string;
let spoolDir: string;
let opened: UsageSpool[] = [];
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'dp-spool-'));
  spoolDir = join(stateDir, 'usage-spool');
});
afterEach(async () => {
  await Promise.allSettled(opened.map((s) => s.close()));
  opened = [];
  await rm(stateDir, { recursive: true, force: true });
});

/** Opens a spool that is closed after the test (a second one on the same dir stands for a restart after a crash). */
async function openSpool(dir: string, options?: UsageSpoolOptions): Promise<UsageSpool> {
  const spool = await UsageSpool.open(dir, options);
  opened.push(spool);
  return spool;
}

const segments = async () => (await readdir(spoolDir)).filter((n) => n.startsWith('seg-')).sort();
const lines = async (name: string) => (await readFile(join(spoolDir, name), 'utf8')).split('\n').filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads and acknowledges everything, batch by batch, as the batcher does. */
async function drain(spool: UsageSpool, max = 1000): Promise<UsageRecord[]> {
  const out: UsageRecord[] = [];
  for (let batch = await readRecords(spool, max); batch.length; batch = await readRecords(spool, max)) {
    out.push(...batch);
    await spool.ack(batch.length);
  }
  return out;
}

describe('UsageSpool', () => {
  it('keeps appends in memory until a write, then reads them back and acknowledges them durably', async () => {
    const spool = await openSpool(stateDir);
    const records = [rec(), rec(), rec()];
    for (const r of records) spool.append(r);
    expect(spool.pendingCount).toBe(3);
    expect(await readRecords(spool, 10)).toEqual([]); // not on disk yet: not sent yet
    await spool.flush();
    expect(spool.stats.writes).toBe(1); // one append + fdatasync for all three
    expect(await segments()).toEqual(['seg-0000000000000000.jsonl']);
    expect(await lines('seg-0000000000000000.jsonl')).toEqual(records.map((r) => JSON.stringify(r)));
    expect(await readRecords(spool, 10)).toEqual(records);
    expect(await readRecords(spool, 2)).toEqual(records.slice(0, 2));
    await spool.ack(2);
    expect(await readFile(join(spoolDir, 'ack-cursor'), 'utf8')).toBe('2\n');
    expect(spool.openCount).toBe(1);

    // A restart (no close: as after a crash) replays only the unacknowledged record.
    const again = await openSpool(stateDir);
    expect(again.openCount).toBe(1);
    expect(await readRecords(again, 10)).toEqual([records[2]]);
  });

  it('writes pending records every 100 ms on its own, once per interval and only when there is something', async () => {
    const spool = await openSpool(stateDir);
    spool.start();
    try {
      await sleep(120); // let a tick pass with nothing to write
      expect(spool.stats.writes).toBe(0);
      const records = Array.from({ length: 500 }, () => rec());
      for (const r of records) spool.append(r);
      const t0 = performance.now();
      while (!spool.stats.writes) await sleep(5);
      expect(performance.now() - t0).toBeLessThan(250);
      expect(spool.stats.writes).toBe(1);
      expect(spool.pendingCount).toBe(0);
      expect(await lines((await segments())[0])).toHaveLength(500);
      await sleep(250);
      expect(spool.stats.writes).toBe(1);
    } finally {
      await spool.close();
    }
  });

  it('rolls over to a new segment at the record or byte threshold, and reads batches from the oldest one', async () => {
    const spool = await openSpool(stateDir, { segmentRecords: 10 });
    const records = Array.from({ length: 25 }, () => rec());
    for (const r of records) spool.append(r);
    await spool.flush();
    expect(await segments()).toEqual([
      'seg-0000000000000000.jsonl',
      'seg-0000000000000010.jsonl',
      'seg-0000000000000020.jsonl',
    ]);
    expect(spool.stats.writes).toBe(3);
    expect(spool.openCount).toBe(25);
    expect(spool.memoryCount).toBe(10); // only the oldest segment is in memory
    expect(await readRecords(spool, 100)).toEqual(records.slice(0, 10)); // a batch never spans segments

    const bySize = await openSpool(join(stateDir, 'by-size'), { segmentBytes: 1000 });
    for (let i = 0; i < 10; i++) {
      bySize.append(rec());
      await bySize.flush();
    }
    const size = JSON.stringify(rec()).length + 1;
    expect(bySize.stats.segments).toBe(Math.ceil(10 / Math.ceil(1000 / size)));
  });

  it('deletes a segment once fully acknowledged, and the last one at close', async () => {
    const spool = await openSpool(stateDir, { segmentRecords: 10 });
    const records = Array.from({ length: 25 }, () => rec());
    for (const r of records) spool.append(r);
    await spool.flush();
    await spool.ack((await spool.read(4)).length);
    expect(await segments()).toHaveLength(3);
    await spool.ack((await spool.read(100)).length);
    expect(await segments()).toEqual(['seg-0000000000000010.jsonl', 'seg-0000000000000020.jsonl']);
    expect(spool.memoryCount).toBe(10); // the next segment was loaded
    expect(await drain(spool)).toEqual(records.slice(10));
    // The segment being written stays (more appends may come) until close.
    expect(await segments()).toEqual(['seg-0000000000000020.jsonl']);
    expect(spool.openCount).toBe(0);
    await spool.close();
    expect(await segments()).toEqual([]);
    expect(spool.stats.bytes).toBe(0);
  });

  it('skips a torn last line with a warning and never appends after it', async () => {
    const first = await openSpool(stateDir);
    const records = [rec(), rec(), rec()];
    for (const r of records) first.append(r);
    await first.flush();
    await first.ack(1);
    const [seg] = await segments();
    await appendFile(join(spoolDir, seg), '{"requestId":"torn'); // the crash cut this write short

    const { logger, lines: logs } = captureLogger();
    const second = await openSpool(stateDir, { logger });
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 40, msg: 'skipped unreadable usage spool lines', skipped: 1 }),
    );
    const later = rec();
    second.append(later);
    await second.flush();
    expect(await segments()).toEqual([seg, 'seg-0000000000000004.jsonl']);
    expect(await lines(seg)).toHaveLength(4); // untouched: 3 records + the torn line

    const third = await openSpool(stateDir, { logger: silentLogger() });
    expect(await drain(third)).toEqual([...records.slice(1), later]);
    expect(await segments()).toEqual([]);
  });

  it('writes acknowledgements to the cursor at most once per sync interval, and at close', async () => {
    const spool = await openSpool(stateDir, { syncIntervalMs: 60_000 });
    for (let i = 0; i < 4; i++) spool.append(rec());
    await spool.flush();
    await spool.read(1);
    await spool.ack(1); // the first acknowledgement is written at once
    expect(await readFile(join(spoolDir, 'ack-cursor'), 'utf8')).toBe('1\n');
    await spool.read(2);
    await spool.ack(2); // within the interval: only in memory
    expect(await readFile(join(spoolDir, 'ack-cursor'), 'utf8')).toBe('1\n');
    await spool.close();
    expect(await readFile(join(spoolDir, 'ack-cursor'), 'utf8')).toBe('3\n');
  });

  it('after a crash within the sync interval sends the unwritten acknowledgements again, never loses a record', async () => {
    const spool = await openSpool(stateDir, { syncIntervalMs: 60_000 });
    const records = Array.from({ length: 4 }, () => rec());
    for (const r of records) spool.append(r);
    await spool.flush();
    await spool.read(1);
    await spool.ack(1);
    await spool.read(2);
    await spool.ack(2);
    // The process dies here (no close): a new spool on the same dir stands for the restart.
    const restarted = await openSpool(stateDir);
    expect(await drain(restarted)).toEqual(records.slice(1));
  });

  it('migrates the old single-file spool once, dropping acknowledged records and a torn line', async () => {
    const old = Array.from({ length: 2500 }, () => rec());
    const text =
      old.map((r) => JSON.stringify(r)).join('\n') +
      `\n${JSON.stringify({ ack: old.slice(0, 3).map((r) => r.requestId) })}\n{"requestId":"to`;
    await writeFile(join(stateDir, 'usage-spool.jsonl'), text);
    const { logger, lines: logs } = captureLogger();
    // Every acknowledgement straight to the cursor, so that the second open (a crash) finds nothing left.
    const spool = await openSpool(stateDir, { logger, segmentRecords: 1000, syncIntervalMs: 0 });
    expect(await readdir(stateDir)).toEqual(['usage-spool']); // the old file is gone
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'migrated the old usage spool into segments' }));
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'skipped unreadable usage spool lines', skipped: 1 }));
    expect(await segments()).toHaveLength(3);
    expect(spool.openCount).toBe(2497);
    expect(spool.memoryCount).toBeLessThanOrEqual(1000);
    expect(await drain(spool)).toEqual(old.slice(3));

    // Idempotent: nothing to migrate the second time.
    const again = await openSpool(stateDir);
    expect(again.openCount).toBe(0);
  });

  it('drops new records once USAGE_SPOOL_MAX_BYTES is reached, logs it rate-limited, and takes records again after acks', async () => {
    const size = JSON.stringify(rec()).length + 1;
    const dropped: [number, string][] = [];
    const metrics = new GatewayMetrics({ userLabels: false, keyLabels: false });
    const { logger, lines: logs } = captureLogger();
    const spool = await openSpool(stateDir, {
      logger,
      maxBytes: size * 20,
      segmentRecords: 5,
      onDropped: (n, reason) => {
        dropped.push([n, reason]);
        metrics.usageDropped.inc({ reason }, n);
      },
    });
    const kept = Array.from({ length: 20 }, () => rec());
    for (const r of [...kept, rec(), rec()]) spool.append(r);
    await spool.flush();
    expect(spool.stats.bytes).toBeLessThanOrEqual(size * 20);
    expect(spool.openCount).toBe(20);
    expect(spool.stats.dropped.spool_full).toBe(2);
    // Once full, the request path drops without queueing.
    for (let i = 0; i < 100; i++) spool.append(rec());
    expect(spool.pendingCount).toBe(0);
    await spool.flush();
    expect(dropped).toEqual([
      [2, 'spool_full'],
      [100, 'spool_full'],
    ]);
    expect(await metrics.metrics()).toContain('gateway_usage_dropped_total{reason="spool_full"} 102');
    const errors = logs.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1); // rate-limited: the second round only counts
    expect(errors[0]).toMatchObject({ msg: 'usage spool full or unwritable: usage records dropped', dropped: 2 });

    await spool.ack((await spool.read(5)).length); // the oldest segment goes: room again
    const fresh = rec();
    spool.append(fresh);
    await spool.flush();
    expect(spool.openCount).toBe(16);
    const rest = await drain(spool);
    expect(rest).toEqual([...kept.slice(5), fresh]);
  });

  it('keeps records in memory while the disk fails, bounded, and writes them once it works again', async () => {
    const { logger, lines: logs } = captureLogger();
    const spool = await openSpool(stateDir, { logger, segmentRecords: 2, maxPendingRecords: 5 });
    const records = Array.from({ length: 2 }, () => rec());
    for (const r of records) spool.append(r);
    await spool.flush();
    await rm(spoolDir, { recursive: true }); // the next segment cannot be created
    const more = Array.from({ length: 7 }, () => rec());
    for (const r of more) spool.append(r);
    await expect(spool.flush()).rejects.toThrow(/ENOENT/);
    expect(spool.pendingCount).toBe(5);
    expect(spool.stats.dropped.spool_unwritable).toBe(2);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'usage spool write failed; records stay in memory' }),
    );

    await mkdir(spoolDir, { recursive: true });
    await spool.flush();
    expect(spool.pendingCount).toBe(0);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'usage spool writes work again' }));
    expect(await drain(spool)).toEqual([...records, ...more.slice(0, 5)]);
  });

  it('holds one segment in memory however much is spooled while the control plane is unreachable', async () => {
    const segmentRecords = 1000;
    const spool = await openSpool(stateDir, { segmentRecords });
    let sendCalls = 0;
    const down = new UsageBatcher({
      spool,
      deadLetter: await DeadLetterFile.open(stateDir),
      send: parsed(async () => {
        sendCalls++;
        throw new Error('control plane unreachable');
      }),
      batchSize: 500,
      flushMs: 60_000,
      logger: silentLogger(),
      backoff: { minMs: 1, maxMs: 2 },
    });
    const total = 50_000;
    const ids: string[] = [];
    let maxMemory = 0;
    for (let i = 0; i < total; i++) {
      const r = rec();
      ids.push(r.requestId);
      down.record(r);
      if (i % 2000 === 1999) {
        await down.flush();
        maxMemory = Math.max(maxMemory, spool.memoryCount - spool.pendingCount);
      }
    }
    expect(await down.stop(1000)).toEqual({ sent: false, left: total });
    expect(sendCalls).toBeGreaterThan(0);
    expect(maxMemory).toBeLessThanOrEqual(segmentRecords);
    expect(spool.memoryCount).toBeLessThanOrEqual(segmentRecords);
    expect(await segments()).toHaveLength(total / segmentRecords);

    // A restart replays lazily: one segment in memory, every record delivered in order once the control plane is back.
    const replay = await openSpool(stateDir, { segmentRecords });
    expect(replay.openCount).toBe(total);
    expect(replay.memoryCount).toBe(segmentRecords);
    const got: string[] = [];
    let peak = 0;
    const up = new UsageBatcher({
      spool: replay,
      deadLetter: await DeadLetterFile.open(stateDir),
      send: parsed(async (rs) => {
        peak = Math.max(peak, replay.memoryCount);
        for (const r of rs) got.push(r.requestId);
        return { accepted: rs.length, duplicates: 0, rejected: [] };
      }),
      batchSize: 500,
      flushMs: 60_000,
      logger: silentLogger(),
    });
    expect(await up.stop(30_000)).toEqual({ sent: true, left: 0 });
    expect(got).toEqual(ids);
    expect(peak).toBeLessThanOrEqual(segmentRecords);
    expect(await segments()).toEqual([]);
  }, 60_000);
});

describe('readSegment', () => {
  it('checks every line of a segment left by an earlier run, and takes the lines of its own segments as written', async () => {
    await mkdir(spoolDir, { recursive: true });
    const path = join(spoolDir, 'seg-test');
    const good = JSON.stringify(rec());
    await writeFile(path, `${good}\nnot a record\n${good}\n`);
    const checked = await readSegment(path, 0, 0, 3);
    expect(checked.records).toEqual([good, good]);
    expect(checked.seqs).toEqual([0, 2]);
    expect(checked.skipped).toBe(1);
    // Its own segment: the lines it counted are what it wrote, so none is parsed again.
    const own = await readSegment(path, 10, 0, 3, true);
    expect(own.records).toHaveLength(3);
    expect(own.seqs).toEqual([10, 11, 12]);
    expect(own.skipped).toBe(0);
  });
});
