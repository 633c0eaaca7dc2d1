// Teams and memberships through the API: creation rules, lists and nested members, rename, suspend, soft delete and
// what it does to keys, membership add/remove, tenant scope.
import { describe, expect, it } from 'vitest';
import { createKey, createOrg, createTeam, createUser, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { codeOf, errorOf, expectAudited, tokenFor } from '../../test-support/tenancy.ts';

const t = useApiSuite();

const member = (verb: 'add' | 'remove') =>
  `mutation($t: ID!, $u: ID!) { ${verb}TeamMember(teamId: $t, userId: $u) { team { id } user { id teamIds } } }`;

describe('teams', () => {
  it('rejects an unknown org with NOT_FOUND and duplicate names (case-insensitive) with CONFLICT', async () => {
    const unknown = await t.app.gql(
      'mutation { createTeam(input: { orgId: "00000000-0000-4000-8000-000000000000", name: "x" }) { id } }',
    );
    expect(errorOf(unknown)).toEqual({ code: 'NOT_FOUND', field: 'input.orgId' });
    const orgId = await createOrg(t.app, 'Dupes Inc');
    const core = await createTeam(t.app, orgId, 'Core');
    const dup = await t.app.gql('mutation($o: ID!) { createTeam(input: { orgId: $o, name: "CORE" }) { id } }', {
      o: orgId,
    });
    expect(errorOf(dup)).toEqual({ code: 'CONFLICT', field: 'input.name' });
    const other = await createTeam(t.app, orgId, 'Other');
    const rename = await t.app.gql('mutation($id: ID!) { updateTeam(id: $id, input: { name: "core" }) { id } }', {
      id: other,
    });
    expect(errorOf(rename)).toEqual({ code: 'CONFLICT', field: 'input.name' });
    const ok = await expectAudited(t, 'team.update', () =>
      t.app.gql<{ updateTeam: { name: string } }>(
        'mutation($id: ID!) { updateTeam(id: $id, input: { name: "Core Platform" }) { name } }',
        { id: core },
      ),
    );
    expect(ok.data.updateTeam.name).toBe('Core Platform');
  });

  it('adds and removes members idempotently, one audit event per call, and lists them both ways', async () => {
    const orgId = await createOrg(t.app, 'Members Inc');
    const teamA = await createTeam(t.app, orgId, 'A');
    const teamB = await createTeam(t.app, orgId, 'B');
    const ada = await createUser(t.app, orgId, 'ada@members.io', [teamA]);
    const bob = await createUser(t.app, orgId, 'bob@members.io');
    const added = await expectAudited(t, 'team.addMember', () =>
      t.app.gql<{ addTeamMember: { user: { teamIds: string[] } } }>(member('add'), { t: teamB, u: ada }),
    );
    expect(added.data.addTeamMember.user.teamIds.sort()).toEqual([teamA, teamB].sort());
    const [{ version: v0 }] = await t.db.query('select version::int from config_state');
    await expectAudited(t, 'team.addMember', () => t.app.gql(member('add'), { t: teamB, u: ada }));
    const [{ version: v1 }] = await t.db.query('select version::int from config_state');
    expect(v1).toBe(v0);
    await must(t.app.gql(member('add'), { t: teamB, u: bob }));

    const nested = await must<{ team: { members: { totalCount: number; nodes: { email: string }[] } } }>(
      t.app.gql('query($id: ID!) { team(id: $id) { members { totalCount nodes { email } } } }', { id: teamB }),
    );
    expect(nested.team.members).toEqual({
      totalCount: 2,
      nodes: [{ email: 'ada@members.io' }, { email: 'bob@members.io' }],
    });
    const adaTeams = await must<{ user: { teams: { nodes: { name: string }[] } } }>(
      t.app.gql('query($id: ID!) { user(id: $id) { teams { nodes { name } } } }', { id: ada }),
    );
    expect(adaTeams.user.teams.nodes.map((x) => x.name)).toEqual(['A', 'B']);
    const filtered = await must<{ teams: { nodes: { id: string }[] } }>(
      t.app.gql('query($o: ID!, $u: ID!) { teams(orgId: $o, filter: { userId: $u }) { nodes { id } } }', {
        o: orgId,
        u: bob,
      }),
    );
    expect(filtered.teams.nodes.map((x) => x.id)).toEqual([teamB]);

    // A user-owned key attributed to team B loses that attribution when the user leaves B, and keeps working.
    const key = await createKey(t.app, { orgId, userId: ada, teamId: teamB });
    const removed = await expectAudited(t, 'team.removeMember', () =>
      t.app.gql<{ removeTeamMember: { user: { teamIds: string[] } } }>(member('remove'), { t: teamB, u: ada }),
    );
    expect(removed.data.removeTeamMember.user.teamIds).toEqual([teamA]);
    expect(removed.event.after).toMatchObject({ member: false, detachedKeys: 1 });
    const [row] = await t.db.query('select team_id, revoked_at from virtual_keys where id = $1', [key.id]);
    expect(row).toEqual({ team_id: null, revoked_at: null });
    await expectAudited(t, 'team.removeMember', () => t.app.gql(member('remove'), { t: teamB, u: ada }));

    const otherOrg = await createOrg(t.app, 'Elsewhere');
    const stranger = await createUser(t.app, otherOrg, 'x@elsewhere.io');
    expect(errorOf(await t.app.gql(member('add'), { t: teamA, u: stranger }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'userId',
    });
  });

  it('suspends and reactivates; deleting revokes its own keys and detaches attributed ones', async () => {
    const orgId = await createOrg(t.app, 'Team Life');
    const teamId = await createTeam(t.app, orgId, 'Ops');
    const userId = await createUser(t.app, orgId, 'op@life.io', [teamId]);
    const owned = await createKey(t.app, { orgId, teamId });
    const attributed = await createKey(t.app, { orgId, userId, teamId });
    const s = await expectAudited(t, 'team.suspend', () =>
      t.app.gql<{ suspendTeam: { status: string } }>('mutation($id: ID!) { suspendTeam(id: $id) { status } }', {
        id: teamId,
      }),
    );
    expect(s.data.suspendTeam.status).toBe('SUSPENDED');
    await expectAudited(t, 'team.reactivate', () =>
      t.app.gql('mutation($id: ID!) { reactivateTeam(id: $id) { status } }', { id: teamId }),
    );
    const deleted = await expectAudited(t, 'team.delete', () =>
      t.app.gql<{ deleteTeam: string }>('mutation($id: ID!) { deleteTeam(id: $id) }', { id: teamId }),
    );
    expect(deleted.data.deleteTeam).toBe(teamId);
    expect(deleted.event.after).toMatchObject({ revokedKeys: 1, detachedKeys: 1 });
    const keys = await t.db.query(
      'select id, team_id, revoked_at is not null as revoked from virtual_keys where org_id = $1',
      [orgId],
    );
    expect(keys.find((k) => k.id === owned.id)).toMatchObject({ revoked: true });
    expect(keys.find((k) => k.id === attributed.id)).toMatchObject({ revoked: false, team_id: null });
    const after = await must<{
      team: null;
      user: { teamIds: string[] };
      organization: { teams: { totalCount: number } };
    }>(
      t.app.gql(
        'query($t: ID!, $u: ID!, $o: ID!) { team(id: $t) { id } user(id: $u) { teamIds } organization(id: $o) { teams { totalCount } } }',
        {
          t: teamId,
          u: userId,
          o: orgId,
        },
      ),
    );
    expect(after).toEqual({ team: null, user: { teamIds: [] }, organization: { teams: { totalCount: 0 } } });
    expect(errorOf(await t.app.gql('mutation($id: ID!) { suspendTeam(id: $id) { id } }', { id: teamId }))).toEqual({
      code: 'NOT_FOUND',
      field: 'id',
    });
  });
});

describe('team scope', () => {
  it('lets an org admin manage its own teams, a viewer only read, and hides other orgs', async () => {
    const mine = await createOrg(t.app, 'Team Scope Mine');
    const other = await createOrg(t.app, 'Team Scope Other');
    const foreignTeam = await createTeam(t.app, other, 'Theirs');
    const admin = await tokenFor(t, 'ORG_ADMIN', mine);
    const viewer = await tokenFor(t, 'ORG_VIEWER', mine);

    const created = await t.app.gql<{ createTeam: { id: string } }>(
      'mutation($o: ID!) { createTeam(input: { orgId: $o, name: "Ours" }) { id } }',
      { o: mine },
      admin,
    );
    const ours = created.data!.createTeam.id;
    const [event] = await t.db.query('select actor_kind from audit_events where target_id = $1', [ours]);
    expect(event.actor_kind).toBe('api_token');

    const foreignCreate = await t.app.gql(
      'mutation($o: ID!) { createTeam(input: { orgId: $o, name: "Sneaky" }) { id } }',
      { o: other },
      admin,
    );
    expect(codeOf(foreignCreate)).toBe('FORBIDDEN');
    expect(codeOf(await t.app.gql('query($o: ID!) { teams(orgId: $o) { totalCount } }', { o: other }, admin))).toBe(
      'FORBIDDEN',
    );
    for (const token of [admin, viewer]) {
      const all = await must<{ teams: { nodes: { id: string }[] } }>(
        t.app.gql('{ teams { nodes { id } } }', {}, token),
      );
      expect(all.teams.nodes.map((x) => x.id)).toEqual([ours]);
      expect((await t.app.gql('query($id: ID!) { team(id: $id) { id } }', { id: foreignTeam }, token)).data).toEqual({
        team: null,
      });
    }
    // A foreign team is not found (its existence never leaks); the viewer's own-org write is forbidden.
    for (const m of ['suspendTeam', 'reactivateTeam', 'deleteTeam']) {
      const sel = m === 'deleteTeam' ? '' : '{ id }';
      expect(
        errorOf(await t.app.gql(`mutation($id: ID!) { ${m}(id: $id) ${sel} }`, { id: foreignTeam }, admin)),
      ).toEqual({
        code: 'NOT_FOUND',
        field: 'id',
      });
      expect(codeOf(await t.app.gql(`mutation($id: ID!) { ${m}(id: $id) ${sel} }`, { id: ours }, viewer))).toBe(
        'FORBIDDEN',
      );
    }
    const u = await createUser(t.app, other, 'someone@other.io');
    expect(errorOf(await t.app.gql(member('add'), { t: foreignTeam, u }, admin))).toEqual({
      code: 'NOT_FOUND',
      field: 'teamId',
    });
    const [{ status }] = await t.db.query('select status from teams where id = $1', [foreignTeam]);
    expect(status).toBe('active');
  });
});
