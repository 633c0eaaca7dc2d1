// Secrets on disk and in logs: a data plane's state dir is owner-only whatever the umask (loose modes left by an
// earlier version are tightened at start, with a warning), and no token, key or password that a flow handles, right
// or wrong, reaches a log line of either service, even at debug level.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataPlane } from '../harness/data-plane.ts';
import { gql } from '../harness/gql.ts';
import { createKey, revokeKey, rotateKey } from '../harness/seed.ts';
import { waitFor } from '../harness/wait.ts';
import { fixtureApiKey, type Stack, startStack } from './stack.ts';

const random = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;
const adminEmail = 'root@secrets.test';
const adminPassword = random('first-password');
const metricsToken = random('metrics');

let stack: Stack;
let dp: DataPlane;
let stateDir: string;
/** Every secret the flow handled, by what it is; none may appear in any log. */
const secrets: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack({
    name: 'secrets',
    dataPlanes: 0,
    controlPlaneEnv: { LOG_LEVEL: 'debug', SEED_ADMIN_EMAIL: adminEmail, SEED_ADMIN_PASSWORD: adminPassword },
    models: [
      { name: 'gpt-fixture', upstreamModel: 'fixture-model' },
      { name: 'streams', upstreamModel: 'fixture-model@chunks=3' },
    ],
  });
  // A state dir as an earlier version left it: readable by everyone.
  stateDir = join(await mkdtemp(join(tmpdir(), 'gw-secrets-')), 'node');
  await mkdir(join(stateDir, 'usage-spool'), { recursive: true });
  await writeFile(join(stateDir, 'usage-dead-letter.jsonl'), '');
  await chmod(stateDir, 0o755);
  await chmod(join(stateDir, 'usage-spool'), 0o755);
  await chmod(join(stateDir, 'usage-dead-letter.jsonl'), 0o644);
  // The child inherits the umask: with 000, only the modes the data plane asks for keep others out.
  const umask = process.umask(0);
  try {
    dp = await stack.addDataPlane('dp', { stateDir, env: { LOG_LEVEL: 'debug', METRICS_TOKEN: metricsToken } });
  } finally {
    process.umask(umask);
  }
  Object.assign(secrets, {
    adminPassword,
    metricsToken,
    adminToken: stack.cp.adminToken,
    dataPlaneToken: stack.cp.dataPlaneToken,
    masterKey: stack.cp.masterKey,
    providerKey: fixtureApiKey,
    virtualKey: stack.seeded.key.secret,
  });
});
afterAll(async () => {
  await stack?.teardown.run();
  if (stateDir) await rm(join(stateDir, '..'), { recursive: true, force: true });
});

/** A GraphQL call whose errors are part of the flow: answers the parsed body. */
async function graphql(token: string | null, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(stack.cp.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, { token?: string } | null>; errors?: unknown[] };
}

async function chat(apiKey: string, model = 'gpt-fixture', how: 'bearer' | 'x-api-key' | 'query' = 'bearer') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (how === 'bearer') headers.authorization = `Bearer ${apiKey}`;
  if (how === 'x-api-key') headers['x-api-key'] = apiKey;
  const query = how === 'query' ? `?api_key=${apiKey}` : '';
  const res = await fetch(`${dp.url}/v1/chat/completions${query}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], stream: model === 'streams' }),
  });
  await res.arrayBuffer();
  return res.status;
}

const login = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';

describe('secrets', () => {
  it('made the loose state dir owner-only at start, and said so', () => {
    const warning = dp.process.output().find((l) => l.includes('made them owner-only'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, count: 3 });
  });

  it('keeps every token, key and password of a whole flow out of both services’ logs', async () => {
    // Admin sessions: a right and a wrong password, a wrong current password, a password too short to accept.
    const session = (await graphql(null, login, { e: adminEmail, p: adminPassword })).data?.login?.token;
    expect(session).toBeTruthy();
    secrets.session = session!;
    expect((await graphql(null, login, { e: adminEmail, p: `${adminPassword}-wrong` })).errors).toBeDefined();
    const changePassword =
      'mutation ($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
    const newPassword = random('second-password');
    secrets.newPassword = newPassword;
    expect(
      (await graphql(session!, changePassword, { c: `${adminPassword}-wrong`, n: newPassword })).errors,
    ).toBeDefined();
    expect((await graphql(session!, changePassword, { c: adminPassword, n: newPassword })).errors).toBeUndefined();
    const createAdmin = 'mutation ($i: CreateAdminUserInput!) { createAdminUser(input: $i) { id } }';
    const shortPassword = randomBytes(3).toString('hex');
    secrets.shortPassword = shortPassword;
    expect(
      (
        await graphql(session!, createAdmin, {
          i: { email: 'a@secrets.test', role: 'PLATFORM_ADMIN', password: shortPassword },
        })
      ).errors,
    ).toBeDefined();

    // API tokens: minted, used, and presented wrong; the wrong admin token and data-plane token too.
    const minted = await gql<{ createApiToken: { token: string } }>(
      stack.cp.graphqlUrl,
      stack.cp.adminToken,
      'mutation ($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      { i: { name: 'ci', role: 'PLATFORM_ADMIN' } },
    );
    secrets.apiToken = minted.createApiToken.token;
    expect((await graphql(secrets.apiToken, '{ me { id } }')).errors).toBeUndefined();
    for (const wrong of [`${secrets.apiToken}x`, `${stack.cp.adminToken}x`, `${stack.cp.dataPlaneToken}x`]) {
      expect((await graphql(wrong, '{ me { id } }')).data?.me ?? null).toBeNull();
    }

    // The provider key rotated to one the provider refuses, and back.
    const rotate = 'mutation ($i: RotateProviderCredentialInput!) { rotateProviderCredential(input: $i) { id } }';
    const refusedKey = random('sk-refused');
    secrets.refusedProviderKey = refusedKey;
    await gql(stack.cp.graphqlUrl, stack.cp.adminToken, rotate, {
      i: { id: stack.seeded.credentialId, apiKey: refusedKey },
    });
    await waitFor(
      'the data plane to use the refused provider key',
      async () => (await chat(secrets.virtualKey)) === 502,
    );
    await gql(stack.cp.graphqlUrl, stack.cp.adminToken, rotate, {
      i: { id: stack.seeded.credentialId, apiKey: fixtureApiKey },
    });
    await waitFor('the data plane to use the right provider key', async () => (await chat(secrets.virtualKey)) === 200);

    // Virtual keys: JSON and SSE, in every place a caller may put one, wrong, rotated and revoked.
    expect(await chat(secrets.virtualKey, 'streams')).toBe(200);
    expect(await chat(secrets.virtualKey, 'gpt-fixture', 'x-api-key')).toBe(200);
    expect(await chat(secrets.virtualKey, 'gpt-fixture', 'query')).toBe(401);
    expect(await chat(`${secrets.virtualKey}x`)).toBe(401);
    const spare = await createKey(stack.admin, {
      orgId: stack.seeded.org.id,
      teamId: stack.seeded.team.id,
      name: 'spare',
    });
    secrets.spareKey = spare.secret;
    const rotated = await rotateKey(stack.admin, spare.id);
    secrets.rotatedKey = rotated.secret;
    await waitFor('the rotated key to work', async () => (await chat(rotated.secret)) === 200);
    await revokeKey(stack.admin, spare.id);
    await waitFor('the revoked key to fail', async () => (await chat(rotated.secret)) === 401);

    // Metrics with the right and a wrong token.
    expect((await fetch(`${dp.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).status).toBe(
      200,
    );
    expect((await fetch(`${dp.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}x` } })).status).toBe(
      403,
    );

    // A restart boots from the sealed snapshot on disk; a data plane with a wrong token is refused.
    await dp.stop();
    await dp.restart();
    await dp.waitReady();
    expect(await chat(secrets.virtualKey)).toBe(200);
    const wrongToken = `${stack.cp.dataPlaneToken}-wrong`;
    secrets.wrongDataPlaneToken = wrongToken;
    const refused = await stack.addDataPlane('wrong-token', {
      env: { DATA_PLANE_TOKEN: wrongToken, LOG_LEVEL: 'debug' },
      waitReady: false,
    });
    await waitFor('the wrong-token data plane to be refused', () =>
      refused.process.output().some((l) => l.includes('rejected the data-plane token')),
    );
    await refused.stop();
    await dp.stop();

    const logs = [stack.cp.process.logFile, dp.process.logFile, refused.process.logFile];
    const found: string[] = [];
    for (const file of logs) {
      const text = await readFile(file, 'utf8');
      for (const [what, value] of Object.entries(secrets)) if (text.includes(value)) found.push(`${what} in ${file}`);
    }
    expect(found).toEqual([]);
  });

  it('left every file and folder of the state dir owner-only', async () => {
    const loose: string[] = [];
    const visit = async (path: string): Promise<void> => {
      const info = await lstat(path);
      if (info.mode & 0o077) loose.push(`${path} ${(info.mode & 0o777).toString(8)}`);
      if (info.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name));
    };
    await visit(stateDir);
    expect(loose).toEqual([]);
    // The flow wrote what the dir is for: the sealed snapshot and usage segments.
    expect(await readdir(stateDir)).toEqual(expect.arrayContaining(['snapshot.json', 'usage-spool']));
  });
});
