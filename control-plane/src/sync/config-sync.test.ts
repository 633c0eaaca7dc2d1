// End to end config sync over graphql-ws: full then deltas, fan-out across two replicas, token rules, and latency.
import { applyDelta, snapshotHash } from '@gw/schema';
import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialAndModel, createKey, createOrg, createTeam } from '../test-support/fixtures.ts';
import { type AssembledFull, subscribeFeed } from '../test-support/sync-feed.ts';
import {
  adminToken,
  dataPlaneToken,
  startTestApp,
  type TestApp,
  testConfig,
  waitFor,
} from '../test-support/test-app.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.ts';

const subscribe = (client: Client, nodeId: string) => subscribeFeed(client, nodeId);

describe('configSync', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig(db.url);
    // Two replicas on one database, as in production: same secrets, separate processes (here: separate instances).
    a = await startTestApp(config);
    b = await startTestApp(config);
  });

  afterEach(() => {
    expect(a.errorLogs()).toEqual([]);
    expect(b.errorLogs()).toEqual([]);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it('sends a full snapshot, then a delta that removes a revoked key, to subscribers of both replicas', async () => {
    const orgId = await createOrg(a, 'Sync Org');
    const teamId = await createTeam(a, orgId);
    await createCredentialAndModel(a);
    const key = await createKey(a, { orgId, teamId });
    // Let both replicas catch up (configState refreshes its replica), so the first full already holds the key.
    await a.gql('{ configState { version } }');
    await b.gql('{ configState { version } }');

    const feedA = subscribe(a.wsClient(dataPlaneToken), 'dp-a');
    const feedB = subscribe(b.wsClient(dataPlaneToken), 'dp-b');
    const [fullA, fullB] = await Promise.all([waitFor(() => feedA.messages[0]), waitFor(() => feedB.messages[0])]);
    for (const full of [fullA, fullB]) {
      expect(full.type).toBe('full');
      const f = full as AssembledFull;
      expect(f.snapshot.keys[key.id]).toBeDefined();
      expect(f.snapshot.keys[key.id].hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(f.snapshot)).not.toContain(key.secret);
      expect(f.hash).toBe(snapshotHash(f.snapshot));
    }
    expect(fullA.version).toBe(fullB.version);

    const started = performance.now();
    const revoked = await a.gql('mutation($id: ID!) { revokeVirtualKey(id: $id) { status revokedAt } }', {
      id: key.id,
    });
    expect(revoked.data).toMatchObject({ revokeVirtualKey: { status: 'REVOKED' } });
    const [deltaA, deltaB] = await Promise.all([waitFor(() => feedA.messages[1]), waitFor(() => feedB.messages[1])]);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1_000);

    for (const [full, delta] of [
      [fullA, deltaA],
      [fullB, deltaB],
    ] as const) {
      expect(delta).toMatchObject({ type: 'delta', fromVersion: full.version, version: full.version + 1 });
      if (delta.type !== 'delta' || full.type !== 'full') throw new Error('unexpected message types');
      expect(delta.remove).toEqual({ keys: [key.id] });
      expect(delta.upsert).toEqual({});
      expect(snapshotHash(applyDelta(full.snapshot, delta))).toBe(delta.hash);
    }
    feedA.stop();
    feedB.stop();
  });

  it('answers configState with the version and hash the data planes receive', async () => {
    const feed = subscribe(a.wsClient(dataPlaneToken), 'dp-state');
    const full = await waitFor(() => feed.messages[0]);
    const state = await b.gql<{ configState: { version: number; hash: string } }>('{ configState { version hash } }');
    expect(state.data?.configState).toEqual({ version: full.version, hash: full.hash });
    feed.stop();
  });

  it('coalesces a burst of changes and still converges on the newest version', async () => {
    const feed = subscribe(b.wsClient(dataPlaneToken), 'dp-burst');
    const full = (await waitFor(() => feed.messages[0])) as AssembledFull;
    await Promise.all(Array.from({ length: 8 }, (_, i) => createOrg(a, `Burst ${i}`)));
    const state = await a.gql<{ configState: { version: number; hash: string } }>('{ configState { version hash } }');
    const target = state.data!.configState;
    const last = await waitFor(() => feed.messages.find((m) => m.version === target.version));
    let snapshot = full.snapshot;
    for (const m of feed.messages.slice(1, feed.messages.indexOf(last) + 1)) {
      snapshot = m.type === 'full' ? m.snapshot : applyDelta(snapshot, m);
      expect(snapshotHash(snapshot)).toBe(m.hash);
    }
    expect(Object.values(snapshot.orgs).filter((o) => o.name.startsWith('Burst'))).toHaveLength(8);
    expect(last.hash).toBe(target.hash);
    feed.stop();
  });

  it('closes the socket with 4403 for a wrong or missing token', async () => {
    for (const token of ['wrong-token', null]) {
      const feed = subscribe(a.wsClient(token), 'dp-bad');
      await waitFor(() => feed.closed ?? undefined);
      expect(feed.closed?.code).toBe(4403);
      expect(feed.messages).toEqual([]);
    }
  });

  it('refuses configSync to an admin token with FORBIDDEN', async () => {
    const feed = subscribe(a.wsClient(adminToken), 'dp-admin');
    const error = await waitFor(
      () => feed.errors[0] as { message: string; extensions?: { code?: string } } | undefined,
    );
    expect(error.extensions?.code).toBe('FORBIDDEN');
    expect(feed.messages).toEqual([]);
  });
});
