// Sync protocol 2 on the data plane against a fake control plane: resume, NACK, protocol refusal, liveness.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LastRejected, type Snapshot, snapshotHash } from '@gw/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ControlPlaneClient } from '../control-plane-client.ts';
import { capturingLogger } from '../logger.ts';
import {
  type FakeControlPlane,
  type FakeControlPlaneOptions,
  startFakeControlPlane,
} from '../test-support/fake-control-plane.ts';
import { scaleSnapshot } from '../test-support/scale-snapshot.ts';
import { sampleSnapshot } from '../test-support/snapshots.ts';
import { NodeStatusReporter } from './node-status.ts';
import { SnapshotFile } from './persist.ts';
import type { ReconnectTimings } from './reconnect.ts';
import { StoreHolder } from './store.ts';
import { ConfigSync } from './sync.ts';

let cp: FakeControlPlane;
let dir: string;
let sync: ConfigSync | null = null;
let client: ControlPlaneClient | null = null;

async function setup(options: Partial<FakeControlPlaneOptions> = {}) {
  cp = await startFakeControlPlane({ token: 'dp-token', ...options });
}
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dp-sync2-'));
});
afterEach(async () => {
  await sync?.stop();
  sync = null;
  await client?.close();
  client = null;
  await cp.close();
  await rm(dir, { recursive: true, force: true });
});

function startSync(timings: Partial<ReconnectTimings> = {}) {
  const stores = new StoreHolder();
  const { logger, lines } = capturingLogger();
  const rejections: LastRejected[] = [];
  client = new ControlPlaneClient({ url: cp.httpUrl, token: 'dp-token' });
  const reporter = new NodeStatusReporter({
    client,
    stores,
    logger,
    nodeId: 'node-a',
    startedAt: new Date(),
    version: 'test',
    lastRejected: () => s.lastRejected,
  });
  const s = new ConfigSync({
    url: cp.wsUrl,
    token: 'dp-token',
    nodeId: 'node-a',
    stores,
    file: new SnapshotFile(dir, 'dp-token'),
    logger,
    onApplied: () => void reporter.reportNow(),
    onRejected: (r) => {
      rejections.push(r);
      void reporter.reportNow();
    },
    timings: { firstMs: 10, minMs: 10, fastMaxMs: 50, ...timings },
  });
  sync = s;
  s.start();
  const reports = () =>
    cp.posts
      .filter((p) => p.query.includes('reportNodeStatus'))
      .map(
        (p) => p.variables.i as { appliedVersion: number | null; lastRejected: LastRejected | null; protocol: number },
      );
  return { stores, lines, rejections, reports };
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const delta = (fromVersion: number, version: number, to: Snapshot, upsert = {}, remove = {}) => ({
  type: 'delta',
  fromVersion,
  version,
  hash: snapshotHash(to),
  upsert,
  remove,
});

describe('ConfigSync, protocol 2', () => {
  it('takes a full snapshot in parts, then resumes with its version and hash after a drop', async () => {
    await setup();
    const { stores } = startSync();
    const first = await cp.subscription(1);
    first.full(3, sampleSnapshot(), 4);
    await until(() => stores.current?.version === 3);
    cp.dropAll();
    const second = await cp.subscription(2);
    expect(second.variables).toEqual({
      nodeId: 'node-a',
      appliedVersion: 3,
      appliedHash: snapshotHash(sampleSnapshot()),
      protocol: 2,
    });
    // Already current: the control plane answers with an empty delta.
    const applied = stores.current;
    second.next(delta(3, 3, sampleSnapshot()));
    await until(() => stores.current !== applied);
    expect(stores.current?.version).toBe(3);
  });

  it('reports a rejection at once (NACK), resubscribes without its hash, and clears it once a message applies', async () => {
    await setup();
    const { stores, rejections, reports } = startSync();
    const first = await cp.subscription(1);
    first.full(1, sampleSnapshot());
    await until(() => stores.current?.version === 1);
    first.next({ ...delta(1, 2, sampleSnapshot()), hash: 'c'.repeat(64) });
    await until(() => rejections.length === 1);
    expect(rejections[0]).toMatchObject({ version: 2, hash: 'c'.repeat(64) });
    expect(rejections[0].reason).toContain('hash mismatch');
    await until(() => reports().some((r) => r.lastRejected?.version === 2));
    expect(reports().at(-1)).toMatchObject({ protocol: 2, appliedVersion: 1 });

    const second = await cp.subscription(2);
    expect(second.variables).toMatchObject({ appliedVersion: 1, appliedHash: null, protocol: 2 });
    second.full(2, sampleSnapshot());
    await until(() => stores.current?.version === 2);
    expect(sync?.lastRejected).toBeNull();
    await until(() => reports().at(-1)?.lastRejected === null && reports().at(-1)?.appliedVersion === 2);
  });

  it('logs a protocol refusal once at error level and retries slowly', async () => {
    await setup();
    const { lines } = startSync({ refusedMs: 300 });
    const refusal = [
      {
        message: 'the control plane speaks protocol 3; upgrade this data plane',
        extensions: { code: 'PROTOCOL_MISMATCH' },
      },
    ];
    (await cp.subscription(1)).fail(refusal);
    const refusedAt = Date.now();
    (await cp.subscription(2)).fail(refusal);
    expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(250);
    await cp.subscription(3);
    const errors = lines.filter((l) => l.includes('protocol mismatch'));
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0])).toMatchObject({ level: 50, reason: refusal[0].message });
  });

  it('does not sync with a control plane that does not state protocol 2, and retries slowly', async () => {
    await setup({ protocol: null });
    const { stores, lines } = startSync({ refusedMs: 300 });
    const started = Date.now();
    await until(() => cp.inits.length >= 2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    for (const s of cp.subscriptions) s.full(1, sampleSnapshot());
    await sync?.idle();
    expect(stores.current).toBeNull();
    expect(lines.filter((l) => l.includes('does not speak sync protocol 2'))).toHaveLength(1);
  });

  it('drops a connection whose pings go unanswered and reconnects', async () => {
    let answer = true;
    await setup({ answerPings: () => answer });
    const { stores } = startSync({ keepAliveMs: 50, pongTimeoutMs: 100 });
    (await cp.subscription(1)).full(1, sampleSnapshot());
    await until(() => stores.current?.version === 1);
    answer = false;
    const again = await cp.subscription(2);
    expect(again.variables.appliedVersion).toBe(1);
  });

  it('reads a full snapshot sent all at once only as fast as it applies it (flow control)', async () => {
    await setup();
    const { stores } = startSync();
    const big = scaleSnapshot({ orgs: 20, users: 200, keys: 12_000 });
    // 13 parts of 1,000 resources (about 400 kB each), written to the socket in one go.
    (await cp.subscription(1)).full(1, big, 1000);
    await until(() => stores.current?.version === 1, 30_000);
    expect(stores.current?.keysByHash.size).toBe(12_000);
    // Without flow control every part is parsed and queued before the first is applied.
    expect(sync?.queuePeak).toBeGreaterThan(1);
    expect(sync?.queuePeak).toBeLessThanOrEqual(4);
  });
});
