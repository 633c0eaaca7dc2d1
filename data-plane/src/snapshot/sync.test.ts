// The sync client against a fake graphql-ws control plane: apply, persist, resync on bad deltas, reconnect.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffSnapshots, snapshotHash } from '@gw/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { type FakeControlPlane, startFakeControlPlane } from '../test-support/fake-control-plane.ts';
import { providerApiKey, sampleSnapshot } from '../test-support/snapshots.ts';
import { SnapshotFile } from './persist.ts';
import { type SnapshotStore, StoreHolder } from './store.ts';
import { ConfigSync } from './sync.ts';

let cp: FakeControlPlane;
let dir: string;
let sync: ConfigSync | null = null;

beforeEach(async () => {
  cp = await startFakeControlPlane({ token: 'dp-token' });
  dir = await mkdtemp(join(tmpdir(), 'dp-sync-'));
});
afterEach(async () => {
  await sync?.stop();
  sync = null;
  await cp.close();
  await rm(dir, { recursive: true, force: true });
});

function startSync(stores: StoreHolder, token = 'dp-token', applied: SnapshotStore[] = []) {
  sync = new ConfigSync({
    url: cp.wsUrl,
    token,
    nodeId: 'node-a',
    stores,
    file: new SnapshotFile(dir, 'dp-token'),
    logger: silentLogger(),
    onApplied: (s) => applied.push(s),
    timings: { firstMs: 20, minMs: 20, fastMaxMs: 100 },
  });
  sync.start();
  return applied;
}

async function until(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const full = (version: number, snapshot = sampleSnapshot()) => ({
  type: 'full',
  version,
  hash: snapshotHash(snapshot),
  part: 1,
  parts: 1,
  resources: snapshot,
});

describe('ConfigSync', () => {
  it('authenticates, applies a full snapshot, persists it encrypted, then applies a delta', async () => {
    const stores = new StoreHolder();
    const applied = startSync(stores);
    const sub = await cp.subscription(1);
    expect(cp.inits[0]).toEqual({ authorization: 'Bearer dp-token' });
    expect(sub.variables).toEqual({ nodeId: 'node-a', appliedVersion: null, appliedHash: null, protocol: 2 });

    sub.next(full(1));
    await until(() => stores.current?.version === 1);
    expect(stores.current?.source).toBe('control-plane');
    await until(() => applied.length === 1);

    const file = new SnapshotFile(dir, 'dp-token');
    await until(() => existsSync(file.path));
    expect(await readFile(file.path, 'utf8')).not.toContain(providerApiKey);
    expect((await file.load())?.version).toBe(1);

    const next = sampleSnapshot();
    next.orgs['org-1'].name = 'Acme 2';
    sub.next({
      type: 'delta',
      fromVersion: 1,
      version: 2,
      hash: snapshotHash(next),
      ...diffSnapshots(sampleSnapshot(), next),
    });
    await until(() => stores.current?.version === 2);
    expect(stores.current?.orgs.get('org-1')?.name).toBe('Acme 2');
    await until(async () => (await file.load())?.version === 2);
  });

  it('keeps the last good config on a bad delta and resubscribes for a full snapshot', async () => {
    const stores = new StoreHolder();
    startSync(stores);
    const first = await cp.subscription(1);
    first.next(full(1));
    await until(() => stores.current?.version === 1);
    const good = stores.current;

    const next = sampleSnapshot();
    next.orgs['org-1'].name = 'Changed';
    first.next({
      type: 'delta',
      fromVersion: 1,
      version: 2,
      hash: 'c'.repeat(64),
      ...diffSnapshots(sampleSnapshot(), next),
    });
    const second = await cp.subscription(2);
    expect(stores.current).toBe(good);
    expect(second.variables.appliedVersion).toBe(1);

    second.next(full(2, next));
    await until(() => stores.current?.version === 2);
    expect(stores.current?.orgs.get('org-1')?.name).toBe('Changed');
  });

  it('resubscribes when a delta does not start from the applied version', async () => {
    const stores = new StoreHolder();
    startSync(stores);
    const first = await cp.subscription(1);
    first.next(full(1));
    await until(() => stores.current?.version === 1);
    first.next({ type: 'delta', fromVersion: 5, version: 6, hash: 'd'.repeat(64), upsert: {}, remove: {} });
    const second = await cp.subscription(2);
    expect(second.variables.appliedVersion).toBe(1);
    expect(stores.current?.version).toBe(1);
  });

  it('reconnects after the connection drops, keeping the config meanwhile', async () => {
    const stores = new StoreHolder();
    startSync(stores);
    (await cp.subscription(1)).next(full(3));
    await until(() => stores.current?.version === 3);
    cp.dropAll();
    const again = await cp.subscription(2);
    expect(stores.current?.version).toBe(3);
    expect(again.variables.appliedVersion).toBe(3);
  });

  it('keeps retrying with backoff when the token is refused (4403)', async () => {
    const stores = new StoreHolder();
    startSync(stores, 'wrong-token');
    await until(() => cp.inits.length >= 3);
    expect(cp.subscriptions).toHaveLength(0);
    expect(stores.current).toBeNull();
  });
});
