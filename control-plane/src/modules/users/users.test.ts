// Users through the API: creation rules, update, suspend/reactivate, soft delete (keys revoked), filters, scope.
import { describe, expect, it } from 'vitest';
import { createKey, createOrg, createTeam, createUser, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { codeOf, errorOf, expectAudited, tokenFor } from '../../test-support/tenancy.ts';

const t = useApiSuite();

describe('users', () => {
  it('rejects duplicate emails case-insensitively, bad emails, and teams of another org', async () => {
    const orgId = await createOrg(t.app, 'Dupes Inc');
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
    const orgB = await createOrg(t.app, 'Org B');
    const teamB = await createTeam(t.app, orgB);
    const r = await t.app.gql('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { orgId, email: 'x@y.io', teamIds: [teamB] },
    });
    expect(errorOf(r)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.teamIds' });
  });

  it('creates with teams, updates, filters, suspends and deletes, one audit event each', async () => {
    const orgId = await createOrg(t.app, 'People Inc');
    const teamId = await createTeam(t.app, orgId, 'Research');
    const created = await expectAudited(t, 'user.create', () =>
      t.app.gql<{ createUser: { id: string; teamIds: string[] } }>(
        'mutation($i: CreateUserInput!) { createUser(input: $i) { id teamIds } }',
        { i: { orgId, email: 'grace@people.io', name: 'Grace', teamIds: [teamId] } },
      ),
    );
    const id = created.data.createUser.id;
    expect(created.event.after).toMatchObject({ email: 'grace@people.io', teamIds: [teamId] });
    await createUser(t.app, orgId, 'alan@people.io');

    const updated = await expectAudited(t, 'user.update', () =>
      t.app.gql<{ updateUser: { email: string; name: string | null } }>(
        'mutation($id: ID!) { updateUser(id: $id, input: { email: "grace.h@people.io", name: null }) { email name } }',
        { id },
      ),
    );
    expect(updated.data.updateUser).toEqual({ email: 'grace.h@people.io', name: null });
    const clash = await t.app.gql(
      'mutation($id: ID!) { updateUser(id: $id, input: { email: "ALAN@people.io" }) { id } }',
      {
        id,
      },
    );
    expect(errorOf(clash)).toEqual({ code: 'CONFLICT', field: 'input.email' });

    const byTeam = await must<{ users: { nodes: { id: string }[] } }>(
      t.app.gql('query($o: ID!, $t: ID!) { users(orgId: $o, filter: { teamId: $t }) { nodes { id } } }', {
        o: orgId,
        t: teamId,
      }),
    );
    expect(byTeam.users.nodes.map((u) => u.id)).toEqual([id]);
    const bySearch = await must<{ users: { totalCount: number } }>(
      t.app.gql('query($o: ID!) { users(orgId: $o, filter: { search: "GRACE" }) { totalCount } }', { o: orgId }),
    );
    expect(bySearch.users.totalCount).toBe(1);
    const badFilter = await t.app.gql('{ users(filter: { teamId: "nope" }) { totalCount } }');
    expect(errorOf(badFilter)).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.teamId' });

    const suspended = await expectAudited(t, 'user.suspend', () =>
      t.app.gql<{ suspendUser: { status: string } }>('mutation($id: ID!) { suspendUser(id: $id) { status } }', { id }),
    );
    expect(suspended.data.suspendUser.status).toBe('SUSPENDED');
    const onlySuspended = await must<{ users: { nodes: { id: string }[] } }>(
      t.app.gql('query($o: ID!) { users(orgId: $o, filter: { status: SUSPENDED }) { nodes { id } } }', { o: orgId }),
    );
    expect(onlySuspended.users.nodes.map((u) => u.id)).toEqual([id]);
    await expectAudited(t, 'user.reactivate', () =>
      t.app.gql('mutation($id: ID!) { reactivateUser(id: $id) { status } }', { id }),
    );

    const key = await createKey(t.app, { orgId, userId: id });
    const deleted = await expectAudited(t, 'user.delete', () =>
      t.app.gql<{ deleteUser: string }>('mutation($id: ID!) { deleteUser(id: $id) }', { id }),
    );
    expect(deleted.event.after).toMatchObject({ revokedKeys: 1 });
    const keyAfter = await must<{ virtualKey: { status: string } }>(
      t.app.gql('query($id: ID!) { virtualKey(id: $id) { status } }', { id: key.id }),
    );
    expect(keyAfter.virtualKey.status).toBe('REVOKED');
    const listed = await must<{ users: { nodes: { email: string }[] } }>(
      t.app.gql('query($o: ID!) { users(orgId: $o) { nodes { email } } }', { o: orgId }),
    );
    expect(listed.users.nodes.map((u) => u.email)).toEqual(['alan@people.io']);
    // The email is free again once its user is deleted.
    await createUser(t.app, orgId, 'grace.h@people.io');
  });

  it('hides users of other orgs and refuses viewers', async () => {
    const mine = await createOrg(t.app, 'User Scope Mine');
    const other = await createOrg(t.app, 'User Scope Other');
    const foreign = await createUser(t.app, other, 'them@other.io');
    const own = await createUser(t.app, mine, 'us@mine.io');
    const admin = await tokenFor(t, 'ORG_ADMIN', mine);
    const viewer = await tokenFor(t, 'ORG_VIEWER', mine);
    expect((await t.app.gql('query($id: ID!) { user(id: $id) { id } }', { id: foreign }, admin)).data).toEqual({
      user: null,
    });
    const all = await must<{ users: { nodes: { id: string }[] } }>(t.app.gql('{ users { nodes { id } } }', {}, viewer));
    expect(all.users.nodes.map((u) => u.id)).toEqual([own]);
    expect(errorOf(await t.app.gql('mutation($id: ID!) { deleteUser(id: $id) }', { id: foreign }, admin))).toEqual({
      code: 'NOT_FOUND',
      field: 'id',
    });
    expect(codeOf(await t.app.gql('mutation($id: ID!) { suspendUser(id: $id) { id } }', { id: own }, viewer))).toBe(
      'FORBIDDEN',
    );
    const create = 'mutation($o: ID!) { createUser(input: { orgId: $o, email: "new@x.io" }) { id } }';
    expect(codeOf(await t.app.gql(create, { o: other }, admin))).toBe('FORBIDDEN');
    expect(codeOf(await t.app.gql(create, { o: mine }, viewer))).toBe('FORBIDDEN');
    expect((await t.app.gql(create, { o: mine }, admin)).errors).toBeUndefined();
  });
});
