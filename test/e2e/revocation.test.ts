// Revoking a key reaches both data planes within a second (config push, not polling).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, revokeKey } from '../harness/seed.ts';
import { waitFor } from '../harness/wait.ts';
import { type Stack, startStack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ name: 'revocation' });
});
afterAll(() => stack?.teardown.run());

async function status(dpUrl: string, secret: string): Promise<number> {
  const res = await fetch(`${dpUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ model: 'gpt-fixture', messages: [{ role: 'user', content: 'ping' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Polls one data plane until it refuses the key; returns ms from `t0`, or fails after 5 s. */
async function refusedAfter(dpUrl: string, secret: string, t0: number): Promise<number> {
  await waitFor(`401 from ${dpUrl}`, async () => (await status(dpUrl, secret)) === 401, {
    timeoutMs: 5_000,
    intervalMs: 5,
  });
  return performance.now() - t0;
}

describe('key revocation', () => {
  it.each([1, 2, 3])('round %i: both data planes refuse a revoked key within 1000 ms', async (round) => {
    const key = await createKey(stack.admin, {
      orgId: stack.seeded.org.id,
      teamId: stack.seeded.team.id,
      name: `revoke-${round}`,
    });
    for (const dp of stack.dps) {
      await waitFor(`${dp.nodeId} to accept the new key`, async () => (await status(dp.url, key.secret)) === 200, {
        timeoutMs: 5_000,
      });
    }
    const t0 = performance.now(); // before the mutation is sent: the budget includes the control plane's commit
    await revokeKey(stack.admin, key.id);
    const elapsed = await Promise.all(stack.dps.map((dp) => refusedAfter(dp.url, key.secret, t0)));
    console.log(`revocation round ${round}: ${elapsed.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
    // Stays refused: no flapping back to an older snapshot.
    for (const dp of stack.dps) for (let i = 0; i < 5; i += 1) expect(await status(dp.url, key.secret)).toBe(401);
    // The other key is untouched.
    for (const dp of stack.dps) expect(await status(dp.url, stack.seeded.key.secret)).toBe(200);
  });

  it('reports the revoked key as REVOKED in GraphQL', async () => {
    const { organization } = await stack.admin<{
      organization: { virtualKeys: { nodes: { name: string; status: string }[] } };
    }>('query ($id: ID!) { organization(id: $id) { virtualKeys { nodes { name status } } } }', {
      id: stack.seeded.org.id,
    });
    const statuses = Object.fromEntries(organization.virtualKeys.nodes.map((k) => [k.name, k.status]));
    expect(statuses).toMatchObject({ default: 'ACTIVE', 'revoke-1': 'REVOKED', 'revoke-2': 'REVOKED' });
  });
});
