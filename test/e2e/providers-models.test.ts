// Providers and models end to end: weighted routing over two credentials (two fixture processes), deployment
// changes and credential rotation reaching both data planes within a second, per-org model availability.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureProcess, startFixtureProcess } from '../harness/fixture-process.ts';
import { createKey, createModel } from '../harness/seed.ts';
import { waitFor } from '../harness/wait.ts';
import { fixtureApiKey, type Stack, startStack } from './stack.ts';

let stack: Stack;
/** A second provider: its own process and base URL, accepting any API key (it records what it got). */
let other: FixtureProcess;
let otherCredentialId: string;

beforeAll(async () => {
  stack = await startStack({ name: 'providers-models' });
  other = stack.teardown.add(
    await startFixtureProcess({ name: 'providers-models-fixture-2' }),
    (f) => f.dispose(),
    'second fixture',
  );
  const { createProviderCredential } = await stack.admin<{ createProviderCredential: { id: string } }>(
    'mutation ($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id } }',
    { i: { name: 'second', provider: 'OPENAI', baseUrl: other.url, apiKey: 'sk-second-provider-0001' } },
  );
  otherCredentialId = createProviderCredential.id;
});
afterAll(() => stack?.teardown.run());

async function chat(dpUrl: string, model: string, secret = stack.seeded.key.secret) {
  const res = await fetch(`${dpUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'ping' }] }),
  });
  const body = (await res.json()) as { error?: { code: string } };
  return { status: res.status, code: body.error?.code ?? null };
}

/** `n` requests spread over both data planes, 16 at a time; every one must succeed. */
async function traffic(model: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 16) {
    const batch = Array.from({ length: Math.min(16, n - i) }, (_, j) => chat(stack.dps[(i + j) % 2].url, model));
    for (const r of await Promise.all(batch)) expect(r).toEqual({ status: 200, code: null });
  }
}

const count = async (f: FixtureProcess, upstream: string) => (await f.stats()).byModel[upstream] ?? 0;

/** Runs `change` and returns the ms until both data planes applied the config version it produced. */
async function appliedWithin(change: () => Promise<unknown>): Promise<number[]> {
  const t0 = performance.now(); // before the mutation: the budget includes the control plane's commit
  await change();
  const { configState } = await stack.admin<{ configState: { version: number } }>('{ configState { version } }');
  return Promise.all(
    stack.dps.map(async (dp) => {
      await waitFor(
        `${dp.nodeId} to apply version ${configState.version}`,
        async () => ((await dp.readyz()).body as { version: number }).version >= configState.version,
        { timeoutMs: 5_000, intervalMs: 5 },
      );
      return performance.now() - t0;
    }),
  );
}

describe('weighted deployments', () => {
  let modelId: string;
  let deployments: { id: string; upstreamModel: string }[];

  it('splits traffic by weight across two credentials (3:1 within ±6 points over 800 calls)', async () => {
    modelId = await createModel(stack.admin, stack.seeded.credentialId, {
      name: 'weighted',
      deployments: [
        { upstreamModel: 'fixture-heavy', weight: 3 },
        { credentialId: otherCredentialId, upstreamModel: 'fixture-light', weight: 1 },
      ],
    });
    const { model } = await stack.admin<{ model: { deployments: { id: string; upstreamModel: string }[] } }>(
      'query ($id: ID!) { model(id: $id) { deployments { id upstreamModel } } }',
      { id: modelId },
    );
    deployments = model.deployments;
    for (const dp of stack.dps) {
      await waitFor(`${dp.nodeId} to know the model`, async () => (await chat(dp.url, 'weighted')).status === 200);
    }
    await stack.fixture.reset();
    await other.reset();

    await traffic('weighted', 800);
    const heavy = await count(stack.fixture, 'fixture-heavy');
    const light = await count(other, 'fixture-light');
    console.log(`weighted routing: ${heavy} heavy / ${light} light of 800`);
    expect(heavy + light).toBe(800);
    expect(heavy / 800).toBeGreaterThan(0.69);
    expect(heavy / 800).toBeLessThan(0.81);
    // Each deployment used its own credential's key.
    expect((await other.received()).every((r) => r.authorization === 'Bearer sk-second-provider-0001')).toBe(true);
  });

  it('a changed deployment stops receiving traffic within 1000 ms on both data planes', async () => {
    const heavy = deployments.find((d) => d.upstreamModel === 'fixture-heavy')!;
    const elapsed = await appliedWithin(() =>
      stack.admin('mutation ($i: UpdateModelDeploymentInput!) { updateModelDeployment(input: $i) { id } }', {
        i: { id: heavy.id, upstreamModel: 'fixture-heavy-v2' },
      }),
    );
    console.log(`deployment change applied: ${elapsed.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
    await stack.fixture.reset();
    await traffic('weighted', 200);
    expect(await count(stack.fixture, 'fixture-heavy')).toBe(0);
    expect(await count(stack.fixture, 'fixture-heavy-v2')).toBeGreaterThan(100);
  });

  it('a removed deployment stops receiving traffic within 1000 ms on both data planes', async () => {
    const light = deployments.find((d) => d.upstreamModel === 'fixture-light')!;
    const elapsed = await appliedWithin(() =>
      stack.admin('mutation ($id: ID!) { removeModelDeployment(id: $id) { id } }', { id: light.id }),
    );
    console.log(`deployment removal applied: ${elapsed.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
    await other.reset();
    await stack.fixture.reset();
    await traffic('weighted', 200);
    expect((await other.stats()).chatCompletions).toBe(0);
    expect(await count(stack.fixture, 'fixture-heavy-v2')).toBe(200);
  });

  it('refuses to delete a credential in use, naming the model', async () => {
    const { model } = await stack.admin<{ model: { deployments: { id: string }[] } }>(
      'query ($id: ID!) { model(id: $id) { deployments { id } } }',
      { id: modelId },
    );
    expect(model.deployments).toHaveLength(1);
    await expect(
      stack.admin('mutation ($id: ID!) { deleteProviderCredential(id: $id) { id } }', {
        id: stack.seeded.credentialId,
      }),
    ).rejects.toThrow(/CONFLICT.*weighted/);
  });
});

describe('credential rotation', () => {
  it('data planes send the new key within 1000 ms of the rotation', async () => {
    // The stack's fixture accepts only fixtureApiKey: start from a wrong key, rotate to the right one, and back.
    const { createProviderCredential } = await stack.admin<{ createProviderCredential: { id: string } }>(
      'mutation ($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id } }',
      { i: { name: 'rotating', provider: 'OPENAI', baseUrl: stack.fixture.url, apiKey: 'sk-wrong-key-0000' } },
    );
    const id = createProviderCredential.id;
    await createModel(stack.admin, id, { name: 'rotated', upstreamModel: 'fixture-model' });
    for (const dp of stack.dps) {
      await waitFor(`${dp.nodeId} to route "rotated"`, async () => (await chat(dp.url, 'rotated')).status !== 404);
      expect(await chat(dp.url, 'rotated')).toEqual({ status: 502, code: 'provider_auth_failed' });
    }
    const rotate = (apiKey: string) =>
      stack.admin<{ rotateProviderCredential: { secretHint: string } }>(
        'mutation ($i: RotateProviderCredentialInput!) { rotateProviderCredential(input: $i) { secretHint } }',
        { i: { id, apiKey } },
      );
    const elapsed = await appliedWithin(() => rotate(fixtureApiKey));
    console.log(`rotation applied: ${elapsed.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
    for (const dp of stack.dps) expect(await chat(dp.url, 'rotated')).toEqual({ status: 200, code: null });

    const back = await appliedWithin(() => rotate('sk-revoked-at-provider-9999'));
    for (const ms of back) expect(ms).toBeLessThan(1_000);
    for (const dp of stack.dps)
      expect(await chat(dp.url, 'rotated')).toEqual({ status: 502, code: 'provider_auth_failed' });
  });
});

describe('per-org model availability', () => {
  const listModels = async (dpUrl: string, secret: string) => {
    const res = await fetch(`${dpUrl}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
  };
  const setAccess = (input: Record<string, unknown>) =>
    stack.admin('mutation ($i: SetOrgModelAccessInput!) { setOrgModelAccess(input: $i) { allModels } }', {
      i: { orgId: stack.seeded.org.id, ...input },
    });

  it('refuses models outside the org list with 403 within 1000 ms; /v1/models lists org ∩ key', async () => {
    const limitedKey = await createKey(stack.admin, {
      orgId: stack.seeded.org.id,
      teamId: stack.seeded.team.id,
      userId: stack.seeded.user.id,
      name: 'limited-to-two',
      allowedModels: ['weighted', 'gpt-fixture'],
    });
    for (const dp of stack.dps) {
      await waitFor(
        `${dp.nodeId} to accept the limited key`,
        async () => (await chat(dp.url, 'weighted', limitedKey.secret)).status === 200,
      );
      expect(await listModels(dp.url, stack.seeded.key.secret)).toEqual(['gpt-fixture', 'rotated', 'weighted']);
    }

    const elapsed = await appliedWithin(() => setAccess({ allModels: false, modelNames: ['gpt-fixture', 'rotated'] }));
    console.log(`org availability applied: ${elapsed.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
    for (const dp of stack.dps) {
      expect(await chat(dp.url, 'weighted')).toEqual({ status: 403, code: 'policy_model_not_allowed' });
      expect(await chat(dp.url, 'gpt-fixture')).toEqual({ status: 200, code: null });
      expect(await listModels(dp.url, stack.seeded.key.secret)).toEqual(['gpt-fixture', 'rotated']);
      expect(await listModels(dp.url, limitedKey.secret)).toEqual(['gpt-fixture']);
    }

    await appliedWithin(() => setAccess({ allModels: true }));
    for (const dp of stack.dps) {
      expect(await chat(dp.url, 'weighted')).toEqual({ status: 200, code: null });
      expect(await listModels(dp.url, limitedKey.secret)).toEqual(['gpt-fixture', 'weighted']);
    }
  });
});
