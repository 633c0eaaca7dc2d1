// Config sync: each data plane reports the version/hash it applied, and the control plane shows it in dataPlaneNodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait.ts';
import { type Stack, startStack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ name: 'sync' });
});
afterAll(() => stack?.teardown.run());

interface Node {
  nodeId: string;
  appliedVersion: number | null;
  appliedHash: string | null;
  source: string | null;
  version: string | null;
  startedAt: string | null;
  lastSeenAt: string;
  connected: boolean;
  lagVersions: number | null;
}

const nodesQuery = `{
  configState { version hash }
  dataPlaneNodes(first: 100) { nodes { nodeId appliedVersion appliedHash source version startedAt lastSeenAt connected lagVersions } }
}`;

async function nodes(stack: Stack) {
  const r = await stack.admin<{ configState: { version: number; hash: string }; dataPlaneNodes: { nodes: Node[] } }>(
    nodesQuery,
  );
  return { configState: r.configState, dataPlaneNodes: r.dataPlaneNodes.nodes };
}

/** Waits until both data planes report `version` to the control plane, and returns the state. */
async function allAt(version: number) {
  return waitFor(
    `both data planes to report version ${version}`,
    async () => {
      const state = await nodes(stack);
      const ours = state.dataPlaneNodes.filter((n) => stack.dps.some((d) => d.nodeId === n.nodeId));
      return ours.length === 2 && ours.every((n) => n.appliedVersion === version) ? { ...state, ours } : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 100 },
  );
}

describe('config sync status', () => {
  it('shows both data planes at the current version and hash', async () => {
    const { configState } = await nodes(stack);
    const { ours } = await allAt(configState.version);
    for (const n of ours) {
      expect(n).toMatchObject({
        appliedVersion: configState.version,
        appliedHash: configState.hash,
        source: 'control-plane',
        connected: true,
        lagVersions: 0,
      });
      expect(n.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(Date.parse(n.lastSeenAt)).toBeGreaterThan(Date.now() - 30_000);
      expect(n.startedAt).not.toBeNull();
    }
    for (const dp of stack.dps) {
      const ready = await dp.readyz();
      expect(ready).toEqual({
        status: 200,
        body: expect.objectContaining({
          version: configState.version,
          hash: configState.hash,
          source: 'control-plane',
        }),
      });
    }
  });

  it('follows a config change: new version applied everywhere, reported back', async () => {
    const before = (await nodes(stack)).configState;
    await stack.admin('mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }', {
      input: { orgId: stack.seeded.org.id, name: 'Another team' },
    });
    const after = (await nodes(stack)).configState;
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.hash).not.toBe(before.hash);
    const { ours } = await allAt(after.version);
    for (const n of ours) expect(n).toMatchObject({ appliedHash: after.hash, lagVersions: 0, connected: true });
    for (const dp of stack.dps)
      expect((await dp.readyz()).body).toMatchObject({ version: after.version, hash: after.hash });
  });

  it('shows a stopped data plane lagging, and catching up after its restart', async () => {
    const dp = stack.dps[1];
    const find = async () => (await nodes(stack)).dataPlaneNodes.find((x) => x.nodeId === dp.nodeId)!;
    const before = await find();
    await dp.stop();
    await stack.admin('mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }', {
      input: { orgId: stack.seeded.org.id, name: 'Made while dp2 was down' },
    });
    const { configState } = await nodes(stack);
    const lagging = await find();
    expect(lagging.appliedVersion).toBe(before.appliedVersion);
    expect(lagging.lagVersions).toBe(configState.version - (before.appliedVersion ?? 0));
    expect(lagging.lagVersions).toBeGreaterThan(0);

    await dp.restart();
    await waitFor(`${dp.nodeId} to apply version ${configState.version}`, async () => {
      const r = await dp.readyz();
      return r.status === 200 && (r.body as { version: number }).version === configState.version;
    });
    const { ours } = await allAt(configState.version);
    const caughtUp = ours.find((n) => n.nodeId === dp.nodeId)!;
    expect(caughtUp).toMatchObject({ appliedHash: configState.hash, lagVersions: 0, source: 'control-plane' });
    expect(Date.parse(caughtUp.startedAt!)).toBeGreaterThan(Date.parse(before.startedAt!));
  });
});
