// Organizations, teams and users through the API: creation, lookups, nested lists and input errors.
import { describe, expect, it } from 'vitest';
import { createOrg, createTeam, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';

const t = useApiSuite();

function errorOf(r: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) {
  return { code: r.errors?.[0]?.extensions?.code, field: r.errors?.[0]?.extensions?.field };
}

describe('organizations', () => {
  it('creates an org with a derived slug and lists it with its teams, users and keys', async () => {
    const r = await t.app.gql<{ createOrganization: { id: string; slug: string; status: string } }>(
      'mutation { createOrganization(input: { name: "  Ünïcode Corp!  " }) { id slug status name } }',
    );
    expect(r.data?.createOrganization).toMatchObject({ slug: 'unicode-corp', status: 'ACTIVE', name: 'Ünïcode Corp!' });
    const orgId = r.data!.createOrganization.id;
    const teamId = await createTeam(t.app, orgId, 'Platform');
    await must(
      t.app.gql('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { orgId, email: 'Dev@Example.com', name: 'Dev', teamIds: [teamId] },
      }),
    );
    const one = await t.app.gql<{ organization: Record<string, unknown> }>(
      `query($id: ID!) { organization(id: $id) {
         id teams { name orgId status } users { email name teamIds status } virtualKeys { id }
         usage { requests errors inputTokens outputTokens costUsd } } }`,
      { id: orgId },
    );
    expect(one.data?.organization).toEqual({
      id: orgId,
      teams: [{ name: 'Platform', orgId, status: 'ACTIVE' }],
      users: [{ email: 'Dev@Example.com', name: 'Dev', teamIds: [teamId], status: 'ACTIVE' }],
      virtualKeys: [],
      usage: { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    });
    const all = await t.app.gql<{ organizations: { id: string }[] }>('{ organizations { id } }');
    expect(all.data?.organizations.map((o) => o.id)).toContain(orgId);
  });

  it('answers null for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const r = await t.app.gql('query($id: ID!) { organization(id: $id) { id } }', { id });
      expect(r.errors).toBeUndefined();
      expect(r.data).toEqual({ organization: null });
    }
  });

  it('rejects a duplicate slug with CONFLICT and a bad slug with BAD_USER_INPUT', async () => {
    await createOrg(t.app, 'Dupe', 'dupe');
    const dup = await t.app.gql('mutation { createOrganization(input: { name: "Other", slug: "dupe" }) { id } }');
    expect(errorOf(dup)).toEqual({ code: 'CONFLICT', field: 'input.slug' });
    const bad = await t.app.gql('mutation { createOrganization(input: { name: "Other", slug: "Not OK" }) { id } }');
    expect(errorOf(bad)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.slug' });
    const empty = await t.app.gql('mutation { createOrganization(input: { name: "   " }) { id } }');
    expect(errorOf(empty)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });
});

describe('teams and users', () => {
  it('rejects an unknown org with NOT_FOUND', async () => {
    const r = await t.app.gql(
      'mutation { createTeam(input: { orgId: "00000000-0000-4000-8000-000000000000", name: "x" }) { id } }',
    );
    expect(errorOf(r)).toEqual({ code: 'NOT_FOUND', field: 'input.orgId' });
  });

  it('rejects duplicate team names and user emails case-insensitively', async () => {
    const orgId = await createOrg(t.app, 'Dupes Inc');
    await createTeam(t.app, orgId, 'Core');
    const team = await t.app.gql('mutation($o: ID!) { createTeam(input: { orgId: $o, name: "CORE" }) { id } }', {
      o: orgId,
    });
    expect(errorOf(team)).toEqual({ code: 'CONFLICT', field: 'input.name' });
    const user = 'mutation($o: ID!, $e: String!) { createUser(input: { orgId: $o, email: $e }) { id } }';
    await must(t.app.gql(user, { o: orgId, e: 'a@b.co' }));
    expect(errorOf(await t.app.gql(user, { o: orgId, e: 'A@B.CO' }))).toEqual({
      code: 'CONFLICT',
      field: 'input.email',
    });
    expect(errorOf(await t.app.gql(user, { o: orgId, e: 'not-an-email' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.email',
    });
  });

  it('refuses teams of another org for a user', async () => {
    const orgA = await createOrg(t.app, 'Org A');
    const orgB = await createOrg(t.app, 'Org B');
    const teamB = await createTeam(t.app, orgB);
    const r = await t.app.gql('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { orgId: orgA, email: 'x@y.io', teamIds: [teamB] },
    });
    expect(errorOf(r)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.teamIds' });
    const orgs = await t.app.gql<{ organization: { users: unknown[] } }>(
      'query($id: ID!) { organization(id: $id) { users { id } } }',
      {
        id: orgA,
      },
    );
    expect(orgs.data?.organization.users).toEqual([]);
  });
});
