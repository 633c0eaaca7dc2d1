// Node status reports are upserted per node and listed with liveness and version lag.
import { describe, expect, it } from 'vitest';
import { createOrg } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { dataPlaneToken } from '../../test-support/test-app.ts';

const t = useApiSuite();

const report = 'mutation($i: JSON!) { reportNodeStatus(input: $i) }';
const list =
  '{ dataPlaneNodes { nodes { nodeId appliedVersion appliedHash source version startedAt lastSeenAt connected lagVersions } } }';

describe('data-plane nodes', () => {
  it('upserts reports and shows connected nodes with their lag', async () => {
    const startedAt = '2030-01-01T00:00:00.000Z';
    const status = {
      nodeId: 'dp-1',
      appliedVersion: 0,
      appliedHash: 'a'.repeat(64),
      source: 'control-plane',
      startedAt,
      version: '0.1.0',
    };
    expect((await t.app.gql(report, { i: status }, dataPlaneToken)).data).toEqual({ reportNodeStatus: true });
    await createOrg(t.app, 'Lag Maker');
    await createOrg(t.app, 'Lag Maker 2');
    const r = await t.app.gql<{ dataPlaneNodes: { nodes: Record<string, unknown>[] } }>(list);
    expect(r.data?.dataPlaneNodes.nodes).toEqual([
      {
        nodeId: 'dp-1',
        appliedVersion: 0,
        appliedHash: 'a'.repeat(64),
        source: 'control-plane',
        version: '0.1.0',
        startedAt,
        lastSeenAt: expect.any(String),
        connected: true,
        lagVersions: 2,
      },
    ]);
    await t.app.gql(report, { i: { ...status, appliedVersion: 2, source: 'disk' } }, dataPlaneToken);
    await t.db.query(`update data_plane_nodes set last_seen_at = now() - interval '31 seconds'`);
    const later = await t.app.gql<{ dataPlaneNodes: { nodes: Record<string, unknown>[] } }>(list);
    expect(later.data?.dataPlaneNodes.nodes[0]).toMatchObject({
      appliedVersion: 2,
      source: 'disk',
      connected: false,
      lagVersions: 0,
    });
  });

  it('pages the fleet by node id and filters by connection and name', async () => {
    const status = {
      appliedVersion: 1,
      appliedHash: 'b'.repeat(64),
      source: 'control-plane',
      startedAt: new Date().toISOString(),
      version: '0.1.0',
    };
    for (const nodeId of ['eu-1', 'eu-2', 'us-1']) {
      expect((await t.app.gql(report, { i: { ...status, nodeId } }, dataPlaneToken)).errors).toBeUndefined();
    }
    await t.db.query(`update data_plane_nodes set last_seen_at = now() - interval '5 minutes' where node_id = 'eu-2'`);
    const page =
      'query($a: String) { dataPlaneNodes(first: 2, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { nodeId } } }';
    const one = await t.app.gql<{
      dataPlaneNodes: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        nodes: { nodeId: string }[];
      };
    }>(page, { a: null });
    const first = one.data!.dataPlaneNodes;
    expect(first.nodes.map((n) => n.nodeId)).toEqual(['dp-1', 'eu-1']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const two = await t.app.gql<{
      dataPlaneNodes: { nodes: { nodeId: string }[]; pageInfo: { hasNextPage: boolean } };
    }>(page, { a: first.pageInfo.endCursor });
    expect(two.data?.dataPlaneNodes.nodes.map((n) => n.nodeId)).toEqual(['eu-2', 'us-1']);
    expect(two.data?.dataPlaneNodes.pageInfo.hasNextPage).toBe(false);
    const live = await t.app.gql<{ dataPlaneNodes: { nodes: { nodeId: string }[] } }>(
      '{ dataPlaneNodes(filter: { connected: true, search: "EU" }) { nodes { nodeId } } }',
    );
    expect(live.data?.dataPlaneNodes.nodes.map((n) => n.nodeId)).toEqual(['eu-1']);
  });

  it('stores the usage backlog and dead letters a node reports, and null for a node that reports none', async () => {
    const status = {
      nodeId: 'zz-dl-1',
      appliedVersion: 0,
      appliedHash: 'c'.repeat(64),
      source: 'control-plane',
      startedAt: new Date().toISOString(),
      version: '0.1.0',
    };
    const fields =
      '{ dataPlaneNodes(filter: { search: "zz-dl-" }) { nodes { nodeId usageBacklog usageDeadLetterRecords usageLastDeadLetterAt } } }';
    await t.app.gql(report, { i: status }, dataPlaneToken);
    const before = await t.app.gql<{ dataPlaneNodes: { nodes: unknown[] } }>(fields);
    expect(before.data?.dataPlaneNodes.nodes).toEqual([
      { nodeId: 'zz-dl-1', usageBacklog: null, usageDeadLetterRecords: null, usageLastDeadLetterAt: null },
    ]);
    const at = '2030-01-02T03:04:05.000Z';
    const usage = { backlog: 1234, deadLetterRecords: 2, lastDeadLetterAt: at };
    expect((await t.app.gql(report, { i: { ...status, usage } }, dataPlaneToken)).errors).toBeUndefined();
    const after = await t.app.gql<{ dataPlaneNodes: { nodes: unknown[] } }>(fields);
    expect(after.data?.dataPlaneNodes.nodes).toEqual([
      { nodeId: 'zz-dl-1', usageBacklog: 1234, usageDeadLetterRecords: 2, usageLastDeadLetterAt: at },
    ]);
    const bad = await t.app.gql(report, { i: { ...status, usage: { ...usage, backlog: -1 } } }, dataPlaneToken);
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rejects a malformed report with the issue path', async () => {
    const r = await t.app.gql(report, { i: { nodeId: '', appliedVersion: null } }, dataPlaneToken);
    expect(r.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.nodeId' });
  });
});
