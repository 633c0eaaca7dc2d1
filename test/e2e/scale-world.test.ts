// The scale benchmark's SQL-seeded world (a tiny one here) is what the services would have written: the control plane
// serves it through GraphQL and builds a snapshot of it that a data plane applies, and every seeded key works there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appliedVersion, waitForVersion } from '../bench-scale/probes.ts';
import {
  churnVersions,
  countWorld,
  keyHash,
  keySecret,
  scaleId,
  seedWorld,
  type WorldShape,
  worldCounts,
} from '../bench-scale/world.ts';
import { type ControlPlane, startControlPlane } from '../harness/control-plane.ts';
import { type DataPlane, startDataPlane } from '../harness/data-plane.ts';
import { type Gql, gqlClient } from '../harness/gql.ts';
import { startPostgres, type TestDatabase } from '../harness/postgres.ts';
import { createModel } from '../harness/seed.ts';
import { Teardown } from '../harness/teardown.ts';

const shape: WorldShape = { orgs: 3, teamsPerOrg: 2, usersPerOrg: 3, keysPerOrg: 4 };
const keys = shape.orgs * shape.keysPerOrg;
const td = new Teardown();
let db: TestDatabase;
let cp: ControlPlane;
let dp: DataPlane;
let admin: Gql;
let version: number;

beforeAll(async () => {
  db = td.add(await startPostgres(), (d) => d.stop(), 'postgres');
  cp = td.add(await startControlPlane({ databaseUrl: db.url, name: 'scale-world-cp' }), (c) => c.dispose(), 'cp');
  admin = gqlClient(cp.graphqlUrl, cp.adminToken);
  const { createProviderCredential } = await admin<{ createProviderCredential: { id: string } }>(
    `mutation ($input: CreateProviderCredentialInput!) { createProviderCredential(input: $input) { id } }`,
    { input: { name: 'scale', provider: 'OPENAI', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-upstream' } },
  );
  await createModel(admin, createProviderCredential.id, { name: 'gpt-scale', upstreamModel: 'fixture-model' });
  await cp.stop();
  version = await seedWorld(db.pool, shape);
  await cp.restart();
  dp = td.add(
    await startDataPlane({ controlPlaneUrl: cp.url, dataPlaneToken: cp.dataPlaneToken, nodeId: 'scale-world-dp' }),
    (d) => d.dispose(),
    'dp',
  );
  await waitForVersion(dp, version, 30_000);
});
afterAll(() => td.run());

async function models(secret: string): Promise<{ status: number; code?: string; names?: string[] }> {
  const res = await fetch(`${dp.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
  const body = (await res.json()) as { data?: { id: string }[]; error?: { code: string } };
  return { status: res.status, code: body.error?.code, names: body.data?.map((m) => m.id) };
}

describe('the scale world, seeded by SQL', () => {
  it('has the rows its shape says, with the key hashes of the derived secrets', async () => {
    expect(await countWorld(db.pool)).toEqual(worldCounts(shape));
    const { rows } = await db.pool.query<{ id: string; key_hash: string; prefix: string }>(
      'select id, key_hash, prefix from virtual_keys',
    );
    const expected = Array.from({ length: keys }, (_, i) => ({
      id: scaleId('key', i),
      key_hash: keyHash(keySecret(i)),
      prefix: keySecret(i).slice(0, 12),
    }));
    expect(rows.sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id)));
  });

  it('reads through GraphQL as the services would have written it: users in teams, keys owned and attributed', async () => {
    const { organizations, users, virtualKey } = await admin<{
      organizations: { totalCount: number };
      users: { totalCount: number };
      virtualKey: {
        id: string;
        status: string;
        ownerKind: string;
        user: { id: string } | null;
        team: { id: string } | null;
      };
    }>(
      `query ($key: ID!) {
         organizations(first: 100) { totalCount }
         users(first: 100) { totalCount }
         virtualKey(id: $key) { id status ownerKind user { id } team { id } }
       }`,
      { key: scaleId('key', 5) },
    );
    expect(organizations.totalCount).toBe(shape.orgs);
    expect(users.totalCount).toBe(shape.orgs * shape.usersPerOrg);
    // Key 5 is key 1 of org 1: owned by user 1 of org 1 (user 4), attributed to that user's team (team 1 of org 1).
    expect(virtualKey).toEqual({
      id: scaleId('key', 5),
      status: 'ACTIVE',
      ownerKind: 'USER',
      user: { id: scaleId('user', 4) },
      team: { id: scaleId('team', 3) },
    });
  });

  it('is applied by a data plane: every seeded key lists the models, an unknown one is refused', async () => {
    for (let i = 0; i < keys; i++)
      expect(await models(keySecret(i))).toMatchObject({ status: 200, names: ['gpt-scale'] });
    expect((await models(keySecret(keys))).status).toBe(401);
  });

  it('follows a revoke through the API and versions committed while the control plane was down', async () => {
    await admin('mutation ($id: ID!) { revokeVirtualKey(id: $id) { id } }', { id: scaleId('key', 7) });
    await expect.poll(async () => (await models(keySecret(7))).status, { timeout: 10_000 }).toBe(401);
    const before = (await appliedVersion(dp)) ?? 0;
    await cp.stop();
    const after = await churnVersions(db.pool, scaleId('org', 0), 5);
    expect(after).toBeGreaterThanOrEqual(before + 5);
    await cp.restart();
    await waitForVersion(dp, after, 30_000);
    expect((await models(keySecret(0))).status).toBe(200);
    expect((await models(keySecret(7))).status).toBe(401);
  });
});
