// Helpers for the tenancy e2e tests: one chat call's outcome, waiting for every data plane to reach an outcome, and
// a small tenant (org, teams, users, keys) created over GraphQL.
import type { DataPlane } from '../harness/data-plane.ts';
import type { Gql } from '../harness/gql.ts';
import { type CreatedKey, createKey } from '../harness/seed.ts';
import { waitFor } from '../harness/wait.ts';

export interface Outcome {
  status: number;
  /** The gateway's error code, or null on success. */
  code: string | null;
  requestId: string | null;
}

/** One non-streamed chat completion straight over HTTP (fast to poll); never throws for an HTTP error. */
export async function chatOutcome(
  dpUrl: string,
  secret: string,
  opts: { model?: string; module?: string } = {},
): Promise<Outcome> {
  const res = await fetch(`${dpUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${secret}`,
      ...(opts.module ? { 'x-gateway-module': opts.module } : {}),
    },
    body: JSON.stringify({ model: opts.model ?? 'gpt-fixture', messages: [{ role: 'user', content: 'ping' }] }),
  });
  const text = await res.text();
  const code = res.ok ? null : ((JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null);
  return { status: res.status, code, requestId: res.headers.get('x-request-id') };
}

/**
 * Polls every data plane until a call with `secret` ends in `expected` (a status, or a status and code); returns
 * the ms from `t0` to each data plane's first such answer. Fails after 5 s.
 */
export async function reachedWithin(
  dps: DataPlane[],
  secret: string,
  expected: { status: number; code?: string | null },
  t0: number,
  opts: { module?: string } = {},
): Promise<number[]> {
  return Promise.all(
    dps.map(async (dp) => {
      await waitFor(
        `${dp.nodeId} to answer ${expected.status} ${expected.code ?? ''}`,
        async () => {
          const o = await chatOutcome(dp.url, secret, opts);
          return o.status === expected.status && (expected.code === undefined || o.code === expected.code);
        },
        { timeoutMs: 5_000, intervalMs: 5 },
      );
      return performance.now() - t0;
    }),
  );
}

/** Waits until every data plane serves the key (a new key reaches them through the config push). */
export async function untilServed(dps: DataPlane[], secret: string, opts: { module?: string } = {}): Promise<void> {
  await reachedWithin(dps, secret, { status: 200 }, performance.now(), opts);
}

export interface Tenant {
  orgId: string;
  teamId: string;
  userId: string;
  /** Owned by the user, attributed to the team. */
  userKey: CreatedKey;
  /** Owned by the team. */
  teamKey: CreatedKey;
}

let counter = 0;

/** A fresh org with one team, one user in it, a user key and a team key. */
export async function createTenant(admin: Gql, name: string): Promise<Tenant> {
  counter += 1;
  const { createOrganization: org } = await admin<{ createOrganization: { id: string } }>(
    'mutation ($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
    { i: { name: `${name} ${counter}` } },
  );
  const { createTeam: team } = await admin<{ createTeam: { id: string } }>(
    'mutation ($i: CreateTeamInput!) { createTeam(input: $i) { id } }',
    { i: { orgId: org.id, name: 'Team' } },
  );
  const { createUser: user } = await admin<{ createUser: { id: string } }>(
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { orgId: org.id, email: `user${counter}@tenant.test`, teamIds: [team.id] } },
  );
  const userKey = await createKey(admin, { orgId: org.id, userId: user.id, teamId: team.id, name: 'user-key' });
  const teamKey = await createKey(admin, { orgId: org.id, teamId: team.id, name: 'team-key' });
  return { orgId: org.id, teamId: team.id, userId: user.id, userKey, teamKey };
}
