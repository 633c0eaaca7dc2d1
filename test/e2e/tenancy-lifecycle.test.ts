// Suspending or deleting an org, a team or a user stops their keys on both data planes within a second (config
// push, not polling); reactivating brings them back. Checked over HTTP and with the official openai client.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../harness/seed.ts';
import { waitFor } from '../harness/wait.ts';
import { expectSdkError } from './openai-errors.ts';
import { type Stack, startStack } from './stack.ts';
import { createTenant, reachedWithin, type Tenant, untilServed } from './tenancy.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ name: 'tenancy-lifecycle' });
});
afterAll(() => stack?.teardown.run());

const messages = [{ role: 'user' as const, content: 'ping' }];
const suspended = { status: 403, code: 'policy_org_suspended' };
const revoked = { status: 401, code: 'caller_key_revoked' };
const served = { status: 200 };

/** Runs `change` and checks every secret reaches `expected` on every data plane within 1000 ms of the call. */
async function within1s(
  what: string,
  change: () => Promise<unknown>,
  secrets: string[],
  expected: { status: number; code?: string },
): Promise<void> {
  const t0 = performance.now(); // before the mutation is sent: the budget includes the control plane's commit
  await change();
  for (const secret of secrets) {
    const elapsed = await reachedWithin(stack.dps, secret, expected, t0);
    console.log(`${what}: ${elapsed.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
    for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
  }
}

async function tenant(name: string): Promise<Tenant> {
  const t = await createTenant(stack.admin, name);
  for (const key of [t.userKey, t.teamKey]) await untilServed(stack.dps, key.secret);
  return t;
}

const mutate = (field: string, id: string, selection = '{ id }') =>
  stack.admin(`mutation ($id: ID!) { ${field}(id: $id) ${selection} }`, { id });

describe('suspension', () => {
  it('suspending an org stops all its keys everywhere within 1000 ms; reactivating restores them', async () => {
    const t = await tenant('Suspend Org');
    await within1s(
      'org suspended',
      () => mutate('suspendOrganization', t.orgId),
      [t.userKey.secret, t.teamKey.secret],
      suspended,
    );
    for (const dp of stack.dps) {
      await expectSdkError(
        stack.client(dp, t.userKey.secret).chat.completions.create({ model: 'gpt-fixture', messages }),
        OpenAI.PermissionDeniedError,
        'policy_org_suspended',
      );
    }
    // Other tenants are untouched.
    for (const dp of stack.dps) {
      const ok = await stack.client(dp).chat.completions.create({ model: 'gpt-fixture', messages });
      expect(ok.choices.length).toBeGreaterThan(0);
    }
    await within1s(
      'org reactivated',
      () => mutate('reactivateOrganization', t.orgId),
      [t.userKey.secret, t.teamKey.secret],
      served,
    );
  });

  it("suspending a team stops its keys and user keys attributed to it, not the user's other keys", async () => {
    const t = await tenant('Suspend Team');
    const unattributed = await createKey(stack.admin, { orgId: t.orgId, userId: t.userId, name: 'no-team' });
    await untilServed(stack.dps, unattributed.secret);
    await within1s(
      'team suspended',
      () => mutate('suspendTeam', t.teamId),
      [t.teamKey.secret, t.userKey.secret],
      suspended,
    );
    for (const dp of stack.dps) {
      const ok = await stack
        .client(dp, unattributed.secret)
        .chat.completions.create({ model: 'gpt-fixture', messages });
      expect(ok.choices.length).toBeGreaterThan(0);
      await expectSdkError(
        stack.client(dp, t.teamKey.secret).chat.completions.create({ model: 'gpt-fixture', messages }),
        OpenAI.PermissionDeniedError,
        'policy_org_suspended',
      );
    }
    await within1s(
      'team reactivated',
      () => mutate('reactivateTeam', t.teamId),
      [t.teamKey.secret, t.userKey.secret],
      served,
    );
  });

  it("suspending a user stops the user's keys, not the team's", async () => {
    const t = await tenant('Suspend User');
    await within1s('user suspended', () => mutate('suspendUser', t.userId), [t.userKey.secret], suspended);
    for (const dp of stack.dps) {
      const ok = await stack.client(dp, t.teamKey.secret).chat.completions.create({ model: 'gpt-fixture', messages });
      expect(ok.choices.length).toBeGreaterThan(0);
    }
    await within1s('user reactivated', () => mutate('reactivateUser', t.userId), [t.userKey.secret], served);
  });
});

describe('deletion', () => {
  it("deleting a user revokes the user's keys everywhere within 1000 ms; the team's keys keep working", async () => {
    const t = await tenant('Delete User');
    await within1s('user deleted', () => mutate('deleteUser', t.userId, ''), [t.userKey.secret], revoked);
    for (const dp of stack.dps) {
      await expectSdkError(
        stack.client(dp, t.userKey.secret).chat.completions.create({ model: 'gpt-fixture', messages }),
        OpenAI.AuthenticationError,
        'caller_key_revoked',
      );
      const ok = await stack.client(dp, t.teamKey.secret).chat.completions.create({ model: 'gpt-fixture', messages });
      expect(ok.choices.length).toBeGreaterThan(0);
    }
  });

  it('deleting a team revokes its keys; a user key attributed to it keeps working, without the team', async () => {
    const t = await tenant('Delete Team');
    await within1s('team deleted', () => mutate('deleteTeam', t.teamId, ''), [t.teamKey.secret], revoked);
    for (const dp of stack.dps) {
      const ok = await stack.client(dp, t.userKey.secret).chat.completions.create({ model: 'gpt-fixture', messages });
      expect(ok.choices.length).toBeGreaterThan(0);
    }
    const { virtualKey } = await stack.admin<{ virtualKey: { teamId: string | null; status: string } }>(
      'query ($id: ID!) { virtualKey(id: $id) { teamId status } }',
      { id: t.userKey.id },
    );
    expect(virtualKey).toEqual({ teamId: null, status: 'ACTIVE' });
  });

  it('deleting an org revokes all its keys everywhere within 1000 ms, and usage history stays', async () => {
    const t = await tenant('Delete Org');
    await within1s(
      'org deleted',
      () => mutate('deleteOrganization', t.orgId, ''),
      [t.userKey.secret, t.teamKey.secret],
      revoked,
    );
    // The calls that showed the keys working are usage history, and stay.
    await waitFor('usage of the deleted org', async () => {
      const { rows } = await stack.db.pool.query('select count(*)::int as n from usage_records where org_id = $1', [
        t.orgId,
      ]);
      return rows[0].n > 0;
    });
    const { organization } = await stack.admin<{ organization: unknown }>(
      'query ($id: ID!) { organization(id: $id) { id } }',
      { id: t.orgId },
    );
    expect(organization).toBeNull();
  });
});
