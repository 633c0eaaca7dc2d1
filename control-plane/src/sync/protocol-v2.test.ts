// Sync protocol v2 as the control plane speaks it: protocol in connection_ack, refusal of other protocols (recorded
// on the node), full snapshots in parts, resume from the ring, NACK storage and the fleet's sync states.
import { applyDelta, resourceCount, sentResourcesPerPart, snapshotHash } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createOrg } from '../test-support/fixtures.ts';
import { useApiSuite } from '../test-support/suite.ts';
import { type AssembledFull, subscribeFeed } from '../test-support/sync-feed.ts';
import { dataPlaneToken, waitFor } from '../test-support/test-app.ts';

const t = useApiSuite();

const feed = (nodeId: string, options?: Parameters<typeof subscribeFeed>[2]) =>
  subscribeFeed(t.app.wsClient(dataPlaneToken), nodeId, options);

const nodesQuery = `{ dataPlaneNodes { nodes { nodeId protocol syncState refusedReason
  lastRejected { version hash reason at } } } }`;
type NodeView = {
  nodeId: string;
  protocol: number | null;
  syncState: string;
  refusedReason: string | null;
  lastRejected: { version: number | null; hash: string | null; reason: string; at: string } | null;
};
async function node(nodeId: string): Promise<NodeView | undefined> {
  const r = await t.app.gql<{ dataPlaneNodes: { nodes: NodeView[] } }>(nodesQuery);
  return r.data?.dataPlaneNodes.nodes.find((n) => n.nodeId === nodeId);
}
const fleet = async () =>
  (
    await t.app.gql<{ fleetSync: Record<string, number> }>(
      '{ fleetSync { configVersion nodes inSync lagging rejecting refused offline } }',
    )
  ).data?.fleetSync;

describe('sync protocol v2 (control plane)', () => {
  it('states protocol 2 in the connection_ack payload', async () => {
    const ws = new WebSocket(`${t.app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const ack = await new Promise<unknown>((resolve, reject) => {
      ws.on('open', () =>
        ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${dataPlaneToken}` } })),
      );
      ws.on('message', (data) => resolve(JSON.parse(String(data))));
      ws.on('error', reject);
    });
    ws.close();
    expect(ack).toEqual({ type: 'connection_ack', payload: { protocol: 2 } });
  });

  it('refuses a protocol-1 data plane with PROTOCOL_MISMATCH and shows it as REFUSED until a v2 subscription', async () => {
    const old = feed('dp-v1', { protocol: null });
    const error = await waitFor(() => old.errors[0] as { message: string; extensions?: Record<string, unknown> });
    expect(error.extensions?.code).toBe('PROTOCOL_MISMATCH');
    expect(error.message).toMatch(/speaks config sync protocol 2.*speaks protocol 1.*Upgrade the data plane/);
    expect(old.messages).toEqual([]);
    expect(await node('dp-v1')).toMatchObject({ protocol: 1, syncState: 'REFUSED', refusedReason: error.message });
    expect(await fleet()).toMatchObject({ refused: 1 });
    const v3 = feed('dp-v3', { protocol: 3 });
    expect((await waitFor(() => v3.errors[0] as { message: string })).message).toContain('speaks protocol 3');
    // Upgraded, it subscribes and the refusal is gone.
    const upgraded = feed('dp-v1');
    await waitFor(() => upgraded.messages[0]);
    expect(await node('dp-v1')).toMatchObject({ protocol: 2, refusedReason: null });
    upgraded.stop();
  });

  it(`sends a full snapshot in parts of ${sentResourcesPerPart} resources`, async () => {
    await t.db.query(
      `insert into organizations (id, name, slug) select gen_random_uuid(), 'Bulk ' || n, 'bulk-' || n
         from generate_series(1, 600) n`,
    );
    await t.app.gql('{ configState { version } }');
    const f = feed('dp-parts');
    const full = (await waitFor(() => f.messages[0])) as AssembledFull;
    expect(full.type).toBe('full');
    const total = resourceCount(full.snapshot);
    expect(total).toBeGreaterThanOrEqual(600);
    expect(full.parts).toBe(Math.ceil(total / sentResourcesPerPart));
    for (const part of f.raw) {
      if (part.type !== 'full') throw new Error('expected parts');
      expect(resourceCount(part.resources)).toBeLessThanOrEqual(sentResourcesPerPart);
    }
    expect(f.raw.map((p) => (p.type === 'full' ? p.part : 0))).toEqual(
      Array.from({ length: full.parts }, (_, i) => i + 1),
    );
    expect(snapshotHash(full.snapshot)).toBe(full.hash);
    f.stop();
  });

  it('resumes a reconnecting data plane with one delta, or a full when its hash differs', async () => {
    const first = feed('dp-resume');
    const full = (await waitFor(() => first.messages[0])) as AssembledFull;
    first.stop();
    const a = await createOrg(t.app, 'While Away 1');
    const b = await createOrg(t.app, 'While Away 2');
    const state = (
      await t.app.gql<{ configState: { version: number; hash: string } }>('{ configState { version hash } }')
    ).data!.configState;
    const resumed = feed('dp-resume', { appliedVersion: full.version, appliedHash: full.hash });
    const delta = await waitFor(() => resumed.messages[0]);
    expect(delta).toMatchObject({ type: 'delta', fromVersion: full.version, version: state.version, hash: state.hash });
    if (delta.type !== 'delta') throw new Error('expected a delta');
    expect(Object.keys(delta.upsert.orgs ?? {}).sort()).toEqual([a, b].sort());
    expect(snapshotHash(applyDelta(full.snapshot, delta))).toBe(state.hash);
    resumed.stop();

    const current = feed('dp-resume', { appliedVersion: state.version, appliedHash: state.hash });
    expect(await waitFor(() => current.messages[0])).toEqual({
      type: 'delta',
      fromVersion: state.version,
      version: state.version,
      hash: state.hash,
      upsert: {},
      remove: {},
    });
    current.stop();
    const wrong = feed('dp-resume', { appliedVersion: full.version, appliedHash: '0'.repeat(64) });
    expect((await waitFor(() => wrong.messages[0])).type).toBe('full');
    const noHash = feed('dp-resume-2', { appliedVersion: full.version });
    expect((await waitFor(() => noHash.messages[0])).type).toBe('full');
    wrong.stop();
    noHash.stop();
  });

  it('stores a NACK from status reports and tells rejecting nodes apart from lagging and in-sync ones', async () => {
    const state = (
      await t.app.gql<{ configState: { version: number; hash: string } }>('{ configState { version hash } }')
    ).data!.configState;
    const report = (nodeId: string, appliedVersion: number, lastRejected: unknown) =>
      t.app.gql(
        'mutation($i: JSON!) { reportNodeStatus(input: $i) }',
        {
          i: {
            nodeId,
            appliedVersion,
            appliedHash: 'a'.repeat(64),
            source: 'control-plane',
            startedAt: new Date().toISOString(),
            version: '0.2.0',
            protocol: 2,
            lastRejected,
          },
        },
        dataPlaneToken,
      );
    const rejected = {
      version: state.version,
      hash: state.hash,
      reason: 'hash mismatch',
      at: new Date().toISOString(),
    };
    await report('dp-nack', state.version - 1, rejected);
    await report('dp-lag', state.version - 1, null);
    await report('dp-ok', state.version, null);
    expect(await node('dp-nack')).toMatchObject({
      syncState: 'REJECTING',
      protocol: 2,
      lastRejected: { version: state.version, hash: state.hash, reason: 'hash mismatch', at: rejected.at },
    });
    expect(await node('dp-lag')).toMatchObject({ syncState: 'LAGGING', lastRejected: null });
    expect(await node('dp-ok')).toMatchObject({ syncState: 'IN_SYNC' });
    const counts = await fleet();
    expect(counts).toMatchObject({ configVersion: state.version, rejecting: 1 });
    expect(counts!.inSync).toBeGreaterThanOrEqual(1);
    expect(counts!.lagging).toBeGreaterThanOrEqual(1);
    // The next report after a good apply clears it.
    await report('dp-nack', state.version, null);
    expect(await node('dp-nack')).toMatchObject({ syncState: 'IN_SYNC', lastRejected: null });
    await t.db.query(
      `update data_plane_nodes set last_seen_at = now() - interval '31 seconds' where node_id = 'dp-ok'`,
    );
    expect(await node('dp-ok')).toMatchObject({ syncState: 'OFFLINE' });
  });
});
