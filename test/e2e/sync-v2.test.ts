// Sync protocol v2 between real processes: a data plane reconnecting after a control-plane restart or its own
// restart resumes with a delta (the control plane counts what it sent), a data plane with an inconsistent state gets
// a full snapshot, a protocol-1 data plane is refused and shown as REFUSED, a rejecting one as REJECTING.
import { createClient } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../harness/wait.ts';
import { type Stack, startStack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ name: 'sync-v2' });
});
afterAll(() => stack?.teardown.run());
afterEach(async () => {
  if (!stack.cp.process.running) await stack.cp.restart();
});

interface State {
  version: number;
  hash: string;
  sends: { fulls: number; deltas: number; resumes: number };
}
interface NodeView {
  nodeId: string;
  appliedVersion: number | null;
  syncState: string;
  refusedReason: string | null;
  lastRejected: { reason: string } | null;
}
const state = async () =>
  (await stack.admin<{ configState: State }>('{ configState { version hash sends { fulls deltas resumes } } }'))
    .configState;
const nodes = async () =>
  (
    await stack.admin<{ dataPlaneNodes: { nodes: NodeView[] } }>(
      '{ dataPlaneNodes(first: 100) { nodes { nodeId appliedVersion syncState refusedReason lastRejected { reason } } } }',
    )
  ).dataPlaneNodes.nodes;

/** Waits until both stack data planes report the current version; returns the state. */
async function settled(): Promise<State> {
  return waitFor(
    'both data planes in sync',
    async () => {
      const s = await state();
      const ours = (await nodes()).filter((n) => stack.dps.some((d) => d.nodeId === n.nodeId));
      return ours.length === 2 && ours.every((n) => n.appliedVersion === s.version && n.syncState === 'IN_SYNC')
        ? s
        : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 100 },
  );
}

async function createOrg(name: string): Promise<void> {
  await stack.admin('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', {
    i: { name, slug: name.toLowerCase().replace(/\W+/g, '-') },
  });
}

/** A raw data-plane subscription (as a data plane would speak it); resolves with its first message or error. */
function firstAnswer(
  variables: Record<string, unknown>,
  protocolArg = true,
): Promise<{ data?: unknown; error?: unknown }> {
  const client = createClient({
    url: `${stack.cp.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${stack.cp.dataPlaneToken}` },
    retryAttempts: 0,
  });
  const query = protocolArg
    ? 'subscription($n: String!, $v: Int, $h: String, $p: Int) { configSync(nodeId: $n, appliedVersion: $v, appliedHash: $h, protocol: $p) }'
    : 'subscription($n: String!) { configSync(nodeId: $n) }';
  return new Promise((resolve) => {
    const stop = client.subscribe(
      { query, variables },
      {
        next: (r) => {
          stop();
          void client.dispose();
          resolve(r.errors ? { error: r.errors[0] } : { data: (r.data as { configSync: unknown }).configSync });
        },
        error: (error) => {
          void client.dispose();
          resolve({ error });
        },
        complete: () => {},
      },
    );
  });
}

describe('sync protocol v2 between processes', () => {
  it('resumes data planes with a delta after a control-plane restart and after a data-plane restart', async () => {
    await settled();
    await stack.cp.stop();
    await stack.cp.restart();
    await createOrg('After CP Restart');
    const afterCp = await settled();
    // A fresh control plane: each data plane's reconnect was answered with one delta, no full snapshot.
    expect(afterCp.sends).toMatchObject({ fulls: 0, resumes: 2 });

    const dp = stack.dps[0];
    await dp.stop();
    await createOrg('While DP Down');
    await dp.restart();
    await dp.waitReady();
    const afterDp = await settled();
    expect(afterDp.sends.fulls).toBe(0);
    expect(afterDp.sends.resumes).toBe(3);
  });

  it('sends a full snapshot to a data plane whose applied hash does not match', async () => {
    const s = await settled();
    const good = await firstAnswer({ n: 'raw-good', v: s.version, h: s.hash, p: 2 });
    expect(good.data).toMatchObject({ type: 'delta', fromVersion: s.version, version: s.version });
    const bad = await firstAnswer({ n: 'raw-bad', v: s.version, h: '0'.repeat(64), p: 2 });
    expect(bad.data).toMatchObject({ type: 'full', version: s.version, hash: s.hash, part: 1 });
  });

  it('refuses a protocol-1 data plane and shows it REFUSED; shows a rejecting one REJECTING with its reason', async () => {
    const refused = await firstAnswer({ n: 'raw-v1' }, false);
    expect(refused.error).toMatchObject({ extensions: { code: 'PROTOCOL_MISMATCH' } });
    const v1 = (await nodes()).find((n) => n.nodeId === 'raw-v1');
    expect(v1).toMatchObject({ syncState: 'REFUSED' });
    expect(v1?.refusedReason).toContain('protocol 1');

    const s = await state();
    await fetch(stack.cp.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.cp.dataPlaneToken}` },
      body: JSON.stringify({
        query: 'mutation($i: JSON!) { reportNodeStatus(input: $i) }',
        variables: {
          i: {
            nodeId: 'raw-nack',
            appliedVersion: s.version - 1,
            appliedHash: 'a'.repeat(64),
            source: 'control-plane',
            startedAt: new Date().toISOString(),
            version: 'e2e',
            protocol: 2,
            lastRejected: {
              version: s.version,
              hash: s.hash,
              reason: 'hash mismatch after delta',
              at: new Date().toISOString(),
            },
          },
        },
      }),
    });
    const nack = (await nodes()).find((n) => n.nodeId === 'raw-nack');
    expect(nack).toMatchObject({ syncState: 'REJECTING', lastRejected: { reason: 'hash mismatch after delta' } });
    const fleet = await stack.admin<{ fleetSync: Record<string, number> }>(
      '{ fleetSync { configVersion nodes inSync lagging rejecting refused offline } }',
    );
    expect(fleet.fleetSync).toMatchObject({ inSync: 2, rejecting: 1, refused: 1 });
  });
});
