// SIGKILL on a data plane after traffic, then a restart on the same state dir: what reached its spool is stored
// exactly once, and after a 500 ms pause nothing the clients were answered is lost.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlaneTap, startControlPlaneTap } from '../harness/control-plane-tap.ts';
import { defaultModels } from '../harness/seed.ts';
import { sleep, waitFor } from '../harness/wait.ts';
import { expectExactlyOnce, recordedIds, settledDiff } from './exactly-once.ts';
import { type Stack, startStack } from './stack.ts';
import { startTraffic } from './traffic.ts';
import { defaultCost } from './usage.ts';

/**
 * PROTOCOL.md: the spool writes pending records at least every 100 ms, so a crash loses at most the last ~100 ms.
 * 300 ms leaves room for fdatasync and a busy machine; an answer older than that must survive the kill.
 */
const lossWindowMs = 300;
let stack: Stack;
let tap: ControlPlaneTap;

beforeAll(async () => {
  stack = await startStack({
    name: 'dp-crash',
    dataPlanes: 0,
    models: [
      ...defaultModels,
      // A stream long enough to be cut by the kill: 400 words, one every 25 ms.
      { name: 'long-stream', upstreamModel: 'fixture-model@chunks=400,chunkDelay=25', outputPricePerMTok: 2 },
    ],
  });
  tap = stack.teardown.add(await startControlPlaneTap(stack.cp.url), (t) => t.close(), 'control-plane tap');
});
afterAll(() => stack?.teardown.run());

/** Every request id written in any file of the state dir (the spool's name and format may change; ids do not). */
function idsOnDisk(dir: string): Set<string> {
  const ids = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const m of text.matchAll(/"requestId"\s*:\s*"([^"]+)"/g)) ids.add(m[1]);
  }
  return ids;
}

/** Output tokens of the newest progress line the in-flight journal holds for `requestId` (0: none yet). */
function streamedSoFar(dir: string, requestId: string): number {
  let text = '';
  try {
    text = readFileSync(join(dir, 'usage-inflight.jsonl'), 'utf8');
  } catch {
    return 0;
  }
  let tokens = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`{"p":${JSON.stringify(requestId)}`)) continue;
    tokens = (JSON.parse(line) as { o: number }).o;
  }
  return tokens;
}

interface Outcome {
  seen: number;
  onDisk: number;
  storedAtKill: number;
  lost: string[];
}

/**
 * 1.5 s of traffic through a fresh data plane, a pause of `pauseMs`, SIGKILL, restart on the same state dir.
 * With `ingestFailing` the tap refuses the node's usage batches until the restart, so the spool holds them all.
 */
async function crashRun(name: string, opts: { pauseMs: number; ingestFailing: boolean }): Promise<Outcome> {
  const dp = await stack.addDataPlane(name, { controlPlaneUrl: tap.url });
  try {
    tap.refuse(opts.ingestFailing ? (c) => c.nodeId === dp.nodeId : null);
    const load = startTraffic([{ label: name, client: stack.client(dp) }], { workers: 3, pauseMs: 2 });
    await sleep(1_500);
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(load.ids.length).toBeGreaterThan(50);
    await sleep(opts.pauseMs);
    const killedAt = performance.now();
    expect(await dp.process.kill()).toBeNull(); // killed by the signal, no exit code

    const onDisk = idsOnDisk(dp.stateDir);
    const storedAtKill = (await recordedIds(stack.db, { nodeIds: [dp.nodeId] })).size;
    if (opts.ingestFailing) expect(storedAtKill).toBe(0); // the refusal held: the spool is the only copy
    tap.refuse(null);
    await dp.restart();
    await dp.waitReady(10_000);

    const diff = await settledDiff(stack.db, load.ids, {
      nodeIds: [dp.nodeId],
      mustArrive: [...onDisk],
      timeoutMs: 20_000,
      settleMs: 1_500,
    });
    const ages = diff.missing.map((id) => killedAt - (load.answeredAt.get(id) ?? 0));
    const outcome = { seen: diff.seen, onDisk: onDisk.size, storedAtKill, lost: diff.missing };
    const span = ages.length
      ? ` (answered ${Math.min(...ages).toFixed(0)}-${Math.max(...ages).toFixed(0)} ms before)`
      : '';
    console.log(
      `${name}: ${outcome.seen} answered, ${outcome.storedAtKill} stored and ${outcome.onDisk} on disk at the kill, ` +
        `${outcome.lost.length} lost${span}`,
    );
    // Whatever reached the disk arrives; nothing arrives twice or without a client having seen it.
    expect(
      [...onDisk].filter((id) => diff.missing.includes(id)),
      'ids in the spool at the kill that never arrived',
    ).toEqual([]);
    expect(
      [...onDisk].filter((id) => !load.ids.includes(id)),
      'ids on disk no client saw',
    ).toEqual([]);
    expect({ extra: diff.extra, duplicated: diff.duplicated, seenTwice: diff.seenTwice }).toEqual({
      extra: [],
      duplicated: [],
      seenTwice: [],
    });
    // Only the last moments before the kill may be lost (records not yet written to the spool).
    const lostEarly = diff.missing.filter((_, k) => ages[k] > lossWindowMs);
    expect(lostEarly, `lost ids answered more than ${lossWindowMs} ms before the kill`).toEqual([]);
    if (opts.pauseMs >= 500) expectExactlyOnce(diff);
    return outcome;
  } finally {
    tap.refuse(null);
    await dp.dispose();
  }
}

describe('SIGKILL on a data plane, restarted on the same state dir', () => {
  it.each([
    ['control plane reachable', false],
    ['usage ingestion failing', true],
  ])('right after traffic (%s): the spool arrives exactly once; losses are reported', async (_, ingestFailing) => {
    await crashRun(ingestFailing ? 'now-refused' : 'now', { pauseMs: 0, ingestFailing });
  });

  it.each([
    ['control plane reachable', false],
    ['usage ingestion failing', true],
  ])('500 ms after traffic (%s): every answered request is stored exactly once', async (_, ingestFailing) => {
    const { lost } = await crashRun(ingestFailing ? 'paused-refused' : 'paused', { pauseMs: 500, ingestFailing });
    expect(lost).toEqual([]);
  });
});

describe('SIGKILL on a data plane with requests in flight', () => {
  it('records each cut request at the next start, marked incomplete, with the tokens streamed so far', async () => {
    const dp = await stack.addDataPlane('in-flight', { controlPlaneUrl: tap.url });
    try {
      const client = stack.client(dp, undefined, 60_000);
      const { data, response } = await client.chat.completions
        .create({ model: 'long-stream', messages: [{ role: 'user', content: 'count with me' }], stream: true })
        .withResponse();
      const requestId = response.headers.get('x-request-id')!;
      let chunks = 0;
      const reading = (async () => {
        try {
          for await (const _ of data) chunks++;
        } catch {
          // the connection dies with the data plane
        }
      })();
      // Once the journal holds a progress line with tokens for it (written every second while it streams).
      await waitFor('a progress line with tokens', () => streamedSoFar(dp.stateDir, requestId) > 0, {
        timeoutMs: 20_000,
      });
      const relayedAtKill = chunks;
      expect(await dp.process.kill()).toBeNull();
      await reading;
      expect(relayedAtKill).toBeLessThan(400); // really cut
      expect(await recordedIds(stack.db, { nodeIds: [dp.nodeId] })).toEqual(new Map());

      await dp.restart();
      const row = await waitFor(
        'the record of the cut stream',
        async () => {
          const { rows } = await stack.db.pool.query(
            `select status, error_code, incomplete, stream, model, input_tokens::int, output_tokens::int,
                    cost_usd::float8
             from usage_records where request_id = $1`,
            [requestId],
          );
          return rows[0];
        },
        { timeoutMs: 20_000 },
      );
      expect(row).toMatchObject({
        status: 502,
        error_code: 'gateway_interrupted',
        incomplete: true,
        stream: true,
        model: 'long-stream',
      });
      // Tokens known at the last progress line (at most a second before the kill): some, and no more than relayed.
      expect(row.output_tokens).toBeGreaterThan(0);
      expect(row.output_tokens).toBeLessThanOrEqual(relayedAtKill + 2);
      // The prompt, estimated from the request body's size (bytes / 3): a ~90-byte body.
      expect(row.input_tokens).toBeGreaterThan(0);
      expect(row.input_tokens).toBeLessThanOrEqual(40);
      expect(row.cost_usd).toBeCloseTo(defaultCost(row.input_tokens, row.output_tokens), 12);
      expect(dp.process.output().join('\n')).toContain(
        'recorded requests the last run left in flight as incomplete usage',
      );
    } finally {
      await dp.dispose();
    }
  });
});
