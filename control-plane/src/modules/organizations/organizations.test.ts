// Organizations through the API: creation, lists (filters, cursors), rename, suspend/reactivate, soft delete with its
// cascade, tenant scope, and one audit event per mutation.
import { describe, expect, it } from 'vitest';
import { createKey, createOrg, createTeam, createUser, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { codeOf, errorOf, expectAudited, tokenFor } from '../../test-support/tenancy.ts';

const t = useApiSuite();

type Page = { totalCount: number; nodes: { id: string; name: string }[]; pageInfo: Record<string, unknown> };

const list = `query($f: OrganizationFilter, $first: Int, $after: String, $last: Int, $before: String) {
  organizations(filter: $f, first: $first, after: $after, last: $last, before: $before) {
    totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

async function orgs(vars: Record<string, unknown> = {}, token?: string): Promise<Page> {
  const r = await must<{ organizations: Page }>(t.app.gql(list, vars, token));
  return r.organizations;
}

describe('organizations', () => {
  it('creates an org with a derived slug and reads it with its teams, users and keys', async () => {
    const r = await t.app.gql<{ createOrganization: { id: string; slug: string; status: string } }>(
      'mutation { createOrganization(input: { name: "  Ünïcode Corp!  " }) { id slug status name } }',
    );
    expect(r.data?.createOrganization).toMatchObject({ slug: 'unicode-corp', status: 'ACTIVE', name: 'Ünïcode Corp!' });
    const orgId = r.data!.createOrganization.id;
    const teamId = await createTeam(t.app, orgId, 'Platform');
    await createUser(t.app, orgId, 'Dev@Example.com', [teamId]);
    const one = await t.app.gql<{ organization: Record<string, unknown> }>(
      `query($id: ID!) { organization(id: $id) {
         id teams { totalCount nodes { name orgId status } } users { nodes { email teamIds status } }
         virtualKeys { totalCount } modules { totalCount }
         usage { requests errors inputTokens outputTokens costUsd } } }`,
      { id: orgId },
    );
    expect(one.data?.organization).toEqual({
      id: orgId,
      teams: { totalCount: 1, nodes: [{ name: 'Platform', orgId, status: 'ACTIVE' }] },
      users: { nodes: [{ email: 'Dev@Example.com', teamIds: [teamId], status: 'ACTIVE' }] },
      virtualKeys: { totalCount: 0 },
      modules: { totalCount: 0 },
      usage: { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
    });
  });

  it('answers null for an unknown or malformed id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const r = await t.app.gql('query($id: ID!) { organization(id: $id) { id } }', { id });
      expect(r.errors).toBeUndefined();
      expect(r.data).toEqual({ organization: null });
    }
  });

  it('rejects a duplicate slug with CONFLICT and a bad slug or name with BAD_USER_INPUT', async () => {
    await createOrg(t.app, 'Dupe', 'dupe');
    const dup = await t.app.gql('mutation { createOrganization(input: { name: "Other", slug: "dupe" }) { id } }');
    expect(errorOf(dup)).toEqual({ code: 'CONFLICT', field: 'input.slug' });
    const bad = await t.app.gql('mutation { createOrganization(input: { name: "Other", slug: "Not OK" }) { id } }');
    expect(errorOf(bad)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.slug' });
    const empty = await t.app.gql('mutation { createOrganization(input: { name: "   " }) { id } }');
    expect(errorOf(empty)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('pages forwards and backwards with cursors, and filters by status and name', async () => {
    const ids: string[] = [];
    for (const name of ['Page Alpha', 'Page Beta', 'Page Gamma', 'Page Delta', 'Page Epsilon']) {
      ids.push(await createOrg(t.app, name));
    }
    const search = { search: 'page ' };
    const first = await orgs({ f: search, first: 2 });
    expect(first.totalCount).toBe(5);
    expect(first.nodes.map((o) => o.id)).toEqual(ids.slice(0, 2));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await orgs({ f: search, first: 2, after: first.pageInfo.endCursor });
    expect(second.nodes.map((o) => o.id)).toEqual(ids.slice(2, 4));
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const third = await orgs({ f: search, first: 2, after: second.pageInfo.endCursor });
    expect(third.nodes.map((o) => o.id)).toEqual(ids.slice(4));
    expect(third.pageInfo.hasNextPage).toBe(false);
    const back = await orgs({ f: search, last: 2, before: third.pageInfo.startCursor });
    expect(back.nodes.map((o) => o.id)).toEqual(ids.slice(2, 4));
    const tail = await orgs({ f: search, last: 1 });
    expect(tail.nodes.map((o) => o.id)).toEqual([ids[4]]);

    await must(t.app.gql('mutation($id: ID!) { suspendOrganization(id: $id) { id } }', { id: ids[1] }));
    const suspended = await orgs({ f: { ...search, status: 'SUSPENDED' } });
    expect(suspended.nodes.map((o) => o.id)).toEqual([ids[1]]);
    expect((await orgs({ f: { search: '50%_' } })).totalCount).toBe(0);

    const badCursor = await t.app.gql(list, { after: 'bm90LWEtY3Vyc29y' });
    expect(errorOf(badCursor)).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    const tooMany = await t.app.gql(list, { first: 101 });
    expect(errorOf(tooMany)).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('renames, suspends and reactivates with one audit event each', async () => {
    const orgId = await createOrg(t.app, 'Lifecycle Inc', 'lifecycle');
    const renamed = await expectAudited(t, 'organization.update', () =>
      t.app.gql<{ updateOrganization: { name: string; slug: string } }>(
        'mutation($id: ID!) { updateOrganization(id: $id, input: { name: "Lifecycle Ltd" }) { name slug } }',
        { id: orgId },
      ),
    );
    expect(renamed.data.updateOrganization).toEqual({ name: 'Lifecycle Ltd', slug: 'lifecycle' });
    expect(renamed.event).toMatchObject({
      org_id: orgId,
      target_id: orgId,
      actor_label: 'ADMIN_TOKEN',
      before: { name: 'Lifecycle Inc' },
      after: { name: 'Lifecycle Ltd' },
    });
    await createOrg(t.app, 'Taken', 'taken');
    const clash = await t.app.gql(
      'mutation($id: ID!) { updateOrganization(id: $id, input: { slug: "taken" }) { id } }',
      {
        id: orgId,
      },
    );
    expect(errorOf(clash)).toEqual({ code: 'CONFLICT', field: 'input.slug' });

    const [{ version: v0 }] = await t.db.query('select version::int from config_state');
    const suspended = await expectAudited(t, 'organization.suspend', () =>
      t.app.gql<{ suspendOrganization: { status: string } }>(
        'mutation($id: ID!) { suspendOrganization(id: $id) { status } }',
        { id: orgId },
      ),
    );
    expect(suspended.data.suspendOrganization.status).toBe('SUSPENDED');
    const [{ version: v1 }] = await t.db.query('select version::int from config_state');
    expect(v1).toBe(v0 + 1);
    // Suspending again is allowed and audited, but changes no config.
    await expectAudited(t, 'organization.suspend', () =>
      t.app.gql('mutation($id: ID!) { suspendOrganization(id: $id) { status } }', { id: orgId }),
    );
    const [{ version: v2 }] = await t.db.query('select version::int from config_state');
    expect(v2).toBe(v1);
    const back = await expectAudited(t, 'organization.reactivate', () =>
      t.app.gql<{ reactivateOrganization: { status: string } }>(
        'mutation($id: ID!) { reactivateOrganization(id: $id) { status } }',
        { id: orgId },
      ),
    );
    expect(back.data.reactivateOrganization.status).toBe('ACTIVE');
  });

  it('soft-deletes an org: it, its teams and users vanish, its keys are revoked, usage history stays', async () => {
    const orgId = await createOrg(t.app, 'Doomed');
    const teamId = await createTeam(t.app, orgId);
    const userId = await createUser(t.app, orgId, 'gone@doomed.io', [teamId]);
    const key = await createKey(t.app, { orgId, userId });
    await t.db.query(
      `insert into usage_records (request_id, ts, node_id, org_id, key_id, model, input_tokens, output_tokens,
         cached_input_tokens, cost_usd, latency_ms, overhead_ms, status, stream)
       values ('req-doomed-1', now(), 'n', $1, $2, 'm', 1, 1, 0, 0, 1, 1, 200, false)`,
      [orgId, key.id],
    );
    const { data, event } = await expectAudited(t, 'organization.delete', () =>
      t.app.gql<{ deleteOrganization: string }>('mutation($id: ID!) { deleteOrganization(id: $id) }', { id: orgId }),
    );
    expect(data.deleteOrganization).toBe(orgId);
    expect(event.after).toMatchObject({ teams: 1, users: 1, revokedKeys: 1 });

    expect((await t.app.gql('query($id: ID!) { organization(id: $id) { id } }', { id: orgId })).data).toEqual({
      organization: null,
    });
    expect((await orgs({ f: { search: 'Doomed' } })).totalCount).toBe(0);
    for (const q of [
      'query($id: ID!) { team(id: $id) { id } }',
      'query($id: ID!) { user(id: $id) { id } }',
      'query($id: ID!) { virtualKey(id: $id) { id } }',
    ]) {
      const r = await t.app.gql<Record<string, unknown>>(q, {
        id: q.includes('team') ? teamId : q.includes('user(') ? userId : key.id,
      });
      expect(Object.values(r.data ?? {})).toEqual([null]);
    }
    const everywhere = await must<{ teams: { totalCount: number }; users: { totalCount: number } }>(
      t.app.gql(
        'query($t: ID) { teams(filter: { userId: $t }) { totalCount } users(filter: { search: "gone@doomed" }) { totalCount } }',
        {
          t: userId,
        },
      ),
    );
    expect(everywhere).toEqual({ teams: { totalCount: 0 }, users: { totalCount: 0 } });
    const [row] = await t.db.query('select revoked_at from virtual_keys where id = $1', [key.id]);
    expect(row.revoked_at).not.toBeNull();
    const [{ n }] = await t.db.query('select count(*)::int as n from usage_records where org_id = $1', [orgId]);
    expect(n).toBe(1);
    // Gone for the API: deleting again or renaming answers NOT_FOUND.
    const again = await t.app.gql('mutation($id: ID!) { deleteOrganization(id: $id) }', { id: orgId });
    expect(errorOf(again)).toEqual({ code: 'NOT_FOUND', field: 'id' });
  });
});

describe('organization scope', () => {
  it('shows an org role its own org only; org mutations are for platform admins', async () => {
    const mine = await createOrg(t.app, 'Scope Mine');
    const other = await createOrg(t.app, 'Scope Other');
    const admin = await tokenFor(t, 'ORG_ADMIN', mine);
    const viewer = await tokenFor(t, 'ORG_VIEWER', mine);
    for (const token of [admin, viewer]) {
      const seen = await orgs({}, token);
      expect(seen.nodes.map((o) => o.id)).toEqual([mine]);
      const foreign = await t.app.gql('query($id: ID!) { organization(id: $id) { id } }', { id: other }, token);
      expect(foreign.data).toEqual({ organization: null });
      const own = await t.app.gql('query($id: ID!) { organization(id: $id) { id } }', { id: mine }, token);
      expect(own.data).toEqual({ organization: { id: mine } });
    }
    for (const [mutation, vars] of [
      ['mutation { createOrganization(input: { name: "Nope" }) { id } }', {}],
      ['mutation($id: ID!) { updateOrganization(id: $id, input: { name: "x" }) { id } }', { id: mine }],
      ['mutation($id: ID!) { suspendOrganization(id: $id) { id } }', { id: mine }],
      ['mutation($id: ID!) { reactivateOrganization(id: $id) { id } }', { id: other }],
      ['mutation($id: ID!) { deleteOrganization(id: $id) }', { id: other }],
    ] as const) {
      expect(codeOf(await t.app.gql(mutation, vars, admin))).toBe('FORBIDDEN');
    }
    const [{ n }] = await t.db.query("select count(*)::int as n from organizations where name = 'Nope'");
    expect(n).toBe(0);
  });
});
