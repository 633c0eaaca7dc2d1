// Rotating a key with a grace period, end to end on two data planes with the official openai client: the new secret
// works at once, the old one keeps working until the chosen time and is refused from then on; both are the same key
// in usage_records. Rotating without a grace period stops the old secret within a second.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, rotateKey } from '../harness/seed.ts';
import { sleep, waitFor } from '../harness/wait.ts';
import { expectSdkError } from './openai-errors.ts';
import { type Stack, startStack } from './stack.ts';
import { chatOutcome, reachedWithin, untilServed } from './tenancy.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ name: 'key-rotation' });
});
afterAll(() => stack?.teardown.run());

const messages = [{ role: 'user' as const, content: 'ping' }];

describe('key rotation', () => {
  it('keeps the old secret working until the grace period ends, then refuses it everywhere', async () => {
    const { org, user, team } = stack.seeded;
    const key = await createKey(stack.admin, { orgId: org.id, userId: user.id, teamId: team.id, name: 'rotating' });
    await untilServed(stack.dps, key.secret);
    const graceMs = 4_000;
    const until = new Date(Date.now() + graceMs);
    const rotated = await rotateKey(stack.admin, key.id, until.toISOString());
    expect(rotated.secret).not.toBe(key.secret);
    await untilServed(stack.dps, rotated.secret);

    const requestIds: string[] = [];
    for (const dp of stack.dps) {
      for (const secret of [key.secret, rotated.secret]) {
        const r = await stack
          .client(dp, secret)
          .chat.completions.create({ model: 'gpt-fixture', messages })
          .withResponse();
        requestIds.push(r.request_id as string);
      }
    }
    // Still inside the grace period: both secrets were served.
    expect(Date.now()).toBeLessThan(until.getTime());

    await sleep(Math.max(0, until.getTime() - Date.now()));
    const after = await reachedWithin(
      stack.dps,
      key.secret,
      { status: 401, code: 'caller_key_revoked' },
      performance.now(),
    );
    console.log(`old secret refused after its grace end: ${after.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    for (const ms of after) expect(ms).toBeLessThan(200);
    for (const dp of stack.dps) {
      await expectSdkError(
        stack.client(dp, key.secret).chat.completions.create({ model: 'gpt-fixture', messages }),
        OpenAI.AuthenticationError,
        'caller_key_revoked',
      );
      expect((await chatOutcome(dp.url, rotated.secret)).status).toBe(200);
    }

    const rows = await waitFor('the usage of both secrets', async () => {
      const { rows } = await stack.db.pool.query<{ key_id: string }>(
        'select key_id from usage_records where request_id = any($1::text[])',
        [requestIds],
      );
      return rows.length === requestIds.length ? rows : undefined;
    });
    expect(new Set(rows.map((r) => r.key_id))).toEqual(new Set([key.id]));
    const { virtualKey } = await stack.admin<{ virtualKey: Record<string, unknown> }>(
      'query ($id: ID!) { virtualKey(id: $id) { prefix previousPrefix previousSecretValidUntil status } }',
      { id: key.id },
    );
    expect(virtualKey).toEqual({
      prefix: rotated.prefix,
      previousPrefix: key.prefix,
      previousSecretValidUntil: until.toISOString(),
      status: 'ACTIVE',
    });
  });

  it('without a grace period, the old secret stops on both data planes within 1000 ms', async () => {
    const { org, team } = stack.seeded;
    const key = await createKey(stack.admin, { orgId: org.id, teamId: team.id, name: 'rotate-now' });
    await untilServed(stack.dps, key.secret);
    const t0 = performance.now();
    const rotated = await rotateKey(stack.admin, key.id);
    const elapsed = await reachedWithin(stack.dps, key.secret, { status: 401 }, t0);
    console.log(`old secret refused after rotation: ${elapsed.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
    for (const dp of stack.dps) expect((await chatOutcome(dp.url, rotated.secret)).status).toBe(200);
  });
});
