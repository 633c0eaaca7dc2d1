// Two control-plane replicas on one database: a change made through either reaches data planes on both (LISTEN/NOTIFY).
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../harness/control-plane.ts';
import { type DataPlane, startDataPlane } from '../harness/data-plane.ts';
import { type FixtureProcess, startFixtureProcess } from '../harness/fixture-process.ts';
import { type Gql, gqlClient } from '../harness/gql.ts';
import { startPostgres, type TestDatabase } from '../harness/postgres.ts';
import { type CreatedKey, createKey, revokeKey, type Seeded, seed } from '../harness/seed.ts';
import { Teardown } from '../harness/teardown.ts';
import { sleep, waitFor } from '../harness/wait.ts';
import { fixtureApiKey } from './stack.ts';

interface Node {
  nodeId: string;
  appliedVersion: number | null;
  appliedHash: string | null;
  source: string | null;
  connected: boolean;
  lagVersions: number | null;
}
interface NodesAnswer {
  configState: { version: number; hash: string };
  dataPlaneNodes: { nodes: Node[] };
}
const nodesQuery = `{
  configState { version hash }
  dataPlaneNodes(first: 100) { nodes { nodeId appliedVersion appliedHash source connected lagVersions } }
}`;

const td = new Teardown();
let db: TestDatabase;
let fixture: FixtureProcess;
let cpA: ControlPlane;
let cpB: ControlPlane;
let adminA: Gql;
let adminB: Gql;
let seeded: Seeded;
/** dp1 subscribes to replica A, dp2 to replica B. */
let dp1: DataPlane;
let dp2: DataPlane;

beforeAll(async () => {
  try {
    db = td.add(await startPostgres(), (d) => d.stop(), 'postgres');
    fixture = td.add(
      await startFixtureProcess({ apiKey: fixtureApiKey, name: 'replicas-fixture' }),
      (f) => f.dispose(),
      'fixture',
    );
    cpA = td.add(
      await startControlPlane({ databaseUrl: db.url, name: 'replicas-control-plane-a' }),
      (c) => c.dispose(),
      'control plane A',
    );
    // Started after A has migrated the database; same secrets, or B could not open A's sealed credentials.
    cpB = td.add(
      await startControlPlane({
        databaseUrl: db.url,
        name: 'replicas-control-plane-b',
        secrets: { adminToken: cpA.adminToken, dataPlaneToken: cpA.dataPlaneToken, masterKey: cpA.masterKey },
      }),
      (c) => c.dispose(),
      'control plane B',
    );
    adminA = gqlClient(cpA.graphqlUrl, cpA.adminToken);
    adminB = gqlClient(cpB.graphqlUrl, cpB.adminToken);
    seeded = await seed(adminA, { fixtureUrl: fixture.url, fixtureApiKey });
    dp1 = td.add(
      await startDataPlane({ controlPlaneUrl: cpA.url, dataPlaneToken: cpA.dataPlaneToken, nodeId: 'replicas-dp1' }),
      (d) => d.dispose(),
      'data plane 1',
    );
    dp2 = td.add(
      await startDataPlane({ controlPlaneUrl: cpB.url, dataPlaneToken: cpB.dataPlaneToken, nodeId: 'replicas-dp2' }),
      (d) => d.dispose(),
      'data plane 2',
    );
  } catch (e) {
    await td.run().catch((t: Error) => console.error(t.message));
    throw e;
  }
});
afterAll(() => td.run());

const client = (dp: DataPlane, apiKey: string) =>
  new OpenAI({ apiKey, baseURL: dp.baseURL, maxRetries: 0, timeout: 5_000 });

/** One completion with the openai client: 'ok', or the APIError it raised. */
async function attempt(dp: DataPlane, apiKey: string): Promise<'ok' | InstanceType<typeof OpenAI.APIError>> {
  try {
    const res = await client(dp, apiKey).chat.completions.create({
      model: 'gpt-fixture',
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(res.choices[0].message.content).toBe('You said: ping');
    return 'ok';
  } catch (e) {
    if (e instanceof OpenAI.APIError) return e;
    throw e;
  }
}

/** A 401 in the OpenAI error shape, as the SDK parsed it. */
function expectRefused(err: 'ok' | InstanceType<typeof OpenAI.APIError>): void {
  expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  const e = err as InstanceType<typeof OpenAI.AuthenticationError>;
  expect(e.status).toBe(401);
  expect(Object.keys(e.error as object).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(['caller_key_revoked', 'caller_invalid_api_key']).toContain(e.code);
  expect(e.type).toBe('authentication_error');
}

/** Polls until the data plane gives `want` for the key; returns ms since `t0` (fails after `timeoutMs`). */
async function untilKey(dp: DataPlane, key: CreatedKey, want: 'ok' | 401, t0: number, timeoutMs = 5_000) {
  const last = await waitFor(
    `${dp.nodeId} to ${want === 'ok' ? 'accept' : 'refuse'} key ${key.prefix}`,
    async () => {
      const r = await attempt(dp, key.secret);
      if (want === 'ok') return r === 'ok' ? r : undefined;
      return r !== 'ok' && r.status === 401 ? r : undefined;
    },
    { timeoutMs, intervalMs: 5 },
  );
  const ms = performance.now() - t0;
  if (want === 401) expectRefused(last);
  return ms;
}

async function configState(admin: Gql) {
  return (await admin<NodesAnswer>(nodesQuery)).configState;
}

/** Waits until `admin`'s replica lists both nodes at the current version and hash. */
async function bothNodesCurrent(admin: Gql, label: string) {
  return waitFor(
    `replica ${label} to list both data planes at the current version`,
    async () => {
      const { configState, dataPlaneNodes } = await admin<NodesAnswer>(nodesQuery);
      const ours = [dp1, dp2].map((dp) => dataPlaneNodes.nodes.find((n) => n.nodeId === dp.nodeId));
      if (!ours.every((n) => n?.appliedVersion === configState.version)) return undefined;
      return { configState, ours: ours as Node[] };
    },
    { timeoutMs: 5_000, intervalMs: 100 },
  );
}

describe('config fan-out across two control-plane replicas', () => {
  it('(a) a key revoked through replica A is refused by both data planes within 1000 ms', async () => {
    const key = await createKey(adminA, { orgId: seeded.org.id, teamId: seeded.team.id, name: 'revoke-via-a' });
    await Promise.all([dp1, dp2].map((dp) => untilKey(dp, key, 'ok', performance.now())));
    const t0 = performance.now(); // before the mutation: the budget includes A's commit and B's rebuild
    await revokeKey(adminA, key.id);
    const [onA, onB] = await Promise.all([dp1, dp2].map((dp) => untilKey(dp, key, 401, t0)));
    console.log(`revoked via A: refused by dp1 (A) after ${onA.toFixed(0)} ms, dp2 (B) after ${onB.toFixed(0)} ms`);
    expect(onA).toBeLessThan(1_000);
    expect(onB).toBeLessThan(1_000);
    for (const dp of [dp1, dp2]) {
      expectRefused(await attempt(dp, key.secret)); // stays refused
      expect(await attempt(dp, seeded.key.secret)).toBe('ok'); // the other key is untouched
    }
  });

  it('(b) a key created through replica B works on the data plane of replica A within 1000 ms', async () => {
    const t0 = performance.now();
    const key = await createKey(adminB, { orgId: seeded.org.id, teamId: seeded.team.id, name: 'created-via-b' });
    const [onA, onB] = await Promise.all([dp1, dp2].map((dp) => untilKey(dp, key, 'ok', t0)));
    console.log(`created via B: accepted by dp1 (A) after ${onA.toFixed(0)} ms, dp2 (B) after ${onB.toFixed(0)} ms`);
    expect(onA).toBeLessThan(1_000);
    expect(onB).toBeLessThan(1_000);
  });

  it('(c) dataPlaneNodes on either replica shows both nodes at the current version', async () => {
    const expected = await configState(adminA);
    expect(await configState(adminB)).toEqual(expected); // one version in PostgreSQL, not one per replica
    for (const [admin, label] of [
      [adminA, 'A'],
      [adminB, 'B'],
    ] as const) {
      const { configState: now, ours } = await bothNodesCurrent(admin, label);
      expect(now).toEqual(expected);
      for (const n of ours) {
        expect(n).toMatchObject({
          appliedVersion: expected.version,
          appliedHash: expected.hash,
          source: 'control-plane',
          connected: true,
          lagVersions: 0,
        });
      }
    }
    for (const dp of [dp1, dp2]) {
      expect((await dp.readyz()).body).toMatchObject({ version: expected.version, hash: expected.hash });
    }
  });

  it('(d) with replica B stopped its data plane serves its last config, then catches up when B is back', async () => {
    const before = await configState(adminA);
    const code = await cpB.stop();
    expect.soft(code, `replica B exit code after SIGTERM:\n${cpB.process.tail(5)}`).toBe(0);

    // A change made through A while B is down: dp1 gets it, dp2 cannot.
    const key = await createKey(adminA, { orgId: seeded.org.id, teamId: seeded.team.id, name: 'created-while-b-down' });
    const current = await configState(adminA);
    expect(current.version).toBeGreaterThan(before.version);
    await untilKey(dp1, key, 'ok', performance.now());

    // dp2 keeps serving from the config it had, for a while and without crashing.
    for (let i = 0; i < 10; i += 1) {
      expect(await attempt(dp2, seeded.key.secret)).toBe('ok');
      await sleep(100);
    }
    expect(dp2.process.running).toBe(true);
    expectRefused(await attempt(dp2, key.secret));
    expect(await dp2.readyz()).toEqual({
      status: 200,
      body: expect.objectContaining({ version: before.version, hash: before.hash }),
    });
    const lagging = (await adminA<NodesAnswer>(nodesQuery)).dataPlaneNodes.nodes.find((n) => n.nodeId === dp2.nodeId);
    expect(lagging).toMatchObject({ appliedVersion: before.version, lagVersions: current.version - before.version });

    await cpB.restart();
    const t0 = performance.now();
    await waitFor(
      'dp2 to apply the current version from the restarted replica B',
      async () => {
        const r = await dp2.readyz();
        return r.status === 200 && (r.body as { version: number }).version === current.version;
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    console.log(`dp2 caught up ${(performance.now() - t0).toFixed(0)} ms after replica B was healthy again`);
    expect((await dp2.readyz()).body).toMatchObject({ hash: current.hash, source: 'control-plane' });
    expect(await attempt(dp2, key.secret)).toBe('ok');
    for (const [admin, label] of [
      [adminA, 'A'],
      [adminB, 'B'],
    ] as const) {
      const { ours } = await bothNodesCurrent(admin, label);
      for (const n of ours) expect(n).toMatchObject({ appliedHash: current.hash, lagVersions: 0, connected: true });
    }
  });
});
