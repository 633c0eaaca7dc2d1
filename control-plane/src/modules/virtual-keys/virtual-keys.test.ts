// Virtual keys: the secret is returned once and only its hash is stored; one owner (user or team); module binding,
// alias, metadata, model allow-lists checked against real models; update, revoke, rotate with grace; lists and scope.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../crypto/tokens.ts';
import {
  createCredentialAndModel,
  createKey,
  createOrg,
  createTeam,
  createUser,
  must,
} from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { codeOf, errorOf, expectAudited, tokenFor } from '../../test-support/tenancy.ts';

const t = useApiSuite();

const fields = `id orgId ownerKind teamId userId moduleId name alias metadata prefix allowedModels expiresAt status
  rotatedAt previousPrefix previousSecretValidUntil`;
const create = `mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { secret virtualKey { ${fields} } } }`;
const update = `mutation($id: ID!, $i: UpdateVirtualKeyInput!) { updateVirtualKey(id: $id, input: $i) { ${fields} } }`;
const rotate = `mutation($id: ID!, $until: DateTime) {
  rotateVirtualKey(id: $id, previousSecretValidUntil: $until) { secret virtualKey { ${fields} } } }`;

type Key = Record<string, unknown> & { id: string; prefix: string };

let models: Promise<void> | undefined;
/** Two models the allow-lists can name. */
function ensureModels(): Promise<void> {
  models ??= (async () => {
    await createCredentialAndModel(t.app, 'gpt-4o');
    await createCredentialAndModel(t.app, 'gpt-4o-mini');
  })();
  return models;
}

describe('virtual keys', () => {
  it('returns the secret once and stores only its SHA-256 and prefix', async () => {
    await ensureModels();
    const orgId = await createOrg(t.app, 'Keys Inc');
    const teamId = await createTeam(t.app, orgId);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const { data, event } = await expectAudited(t, 'virtualKey.create', () =>
      t.app.gql<{ createVirtualKey: { secret: string; virtualKey: Key } }>(create, {
        i: {
          orgId,
          teamId,
          name: ' ci ',
          alias: 'ci-main',
          metadata: { owner: 'build', tier: 2 },
          allowedModels: ['gpt-4o', 'gpt-4o'],
          expiresAt,
        },
      }),
    );
    const { secret, virtualKey } = data.createVirtualKey;
    expect(secret).toMatch(/^sk-gw-[0-9A-Za-z]{40}$/);
    expect(virtualKey).toMatchObject({
      orgId,
      ownerKind: 'TEAM',
      teamId,
      userId: null,
      moduleId: null,
      name: 'ci',
      alias: 'ci-main',
      metadata: { owner: 'build', tier: 2 },
      prefix: secret.slice(0, 12),
      allowedModels: ['gpt-4o'],
      expiresAt,
      status: 'ACTIVE',
      rotatedAt: null,
      previousPrefix: null,
    });
    expect(JSON.stringify(event)).not.toContain(secret);

    const rows = await t.db.query('select * from virtual_keys where id = $1', [virtualKey.id]);
    expect(rows[0].key_hash).toBe(sha256Hex(secret));
    expect(rows[0].prefix).toBe(secret.slice(0, 12));
    expect(JSON.stringify(rows[0])).not.toContain(secret);
    const listed = await t.app.gql(
      'query($id: ID!) { organization(id: $id) { virtualKeys { nodes { id prefix } } } }',
      {
        id: orgId,
      },
    );
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it('needs exactly one owner: a user (with one of their teams for attribution) or a team', async () => {
    const orgA = await createOrg(t.app, 'Owner A');
    const orgB = await createOrg(t.app, 'Owner B');
    const teamA = await createTeam(t.app, orgA, 'A1');
    const otherTeamA = await createTeam(t.app, orgA, 'A2');
    const teamB = await createTeam(t.app, orgB);
    const userA = await createUser(t.app, orgA, 'u@a.io', [teamA]);
    const cases: [Record<string, unknown>, string][] = [
      [{ orgId: orgA, name: 'k' }, 'input.userId'],
      [{ orgId: orgA, teamId: teamB, name: 'k' }, 'input.teamId'],
      [{ orgId: orgA, userId: 'nope', name: 'k' }, 'input.userId'],
      [{ orgId: orgA, userId: userA, teamId: otherTeamA, name: 'k' }, 'input.teamId'],
      [{ orgId: orgA, teamId: teamA, name: 'k', expiresAt: '2001-01-01T00:00:00Z' }, 'input.expiresAt'],
      [{ orgId: orgA, teamId: teamA, name: 'k', allowedModels: ['gpt-4o', ' '] }, 'input.allowedModels.1'],
      [{ orgId: orgA, teamId: teamA, name: 'k', allowedModels: ['no-such-model'] }, 'input.allowedModels.0'],
      [{ orgId: orgA, teamId: teamA, name: 'k', allowedModels: [] }, 'input.allowedModels'],
      [{ orgId: orgA, teamId: teamA, name: 'k', metadata: [1, 2] }, 'input.metadata'],
      [{ orgId: orgA, teamId: teamA, name: 'k', metadata: { big: 'x'.repeat(5000) } }, 'input.metadata'],
      [{ orgId: orgA, teamId: teamA, name: 'k', alias: 'Not An Alias' }, 'input.alias'],
      [{ orgId: orgA, teamId: teamA, name: 'k', moduleId: '00000000-0000-4000-8000-000000000000' }, 'input.moduleId'],
    ];
    for (const [i, field] of cases) {
      expect({ i, ...errorOf(await t.app.gql(create, { i })) }).toEqual({ i, code: 'BAD_USER_INPUT', field });
    }
    const [{ count }] = await t.db.query('select count(*)::int as count from virtual_keys where org_id = $1', [orgA]);
    expect(count).toBe(0);
    const userKey = await must<{ createVirtualKey: { virtualKey: Key } }>(
      t.app.gql(create, { i: { orgId: orgA, userId: userA, teamId: teamA, name: 'mine' } }),
    );
    expect(userKey.createVirtualKey.virtualKey).toMatchObject({ ownerKind: 'USER', userId: userA, teamId: teamA });
    await must(t.app.gql(create, { i: { orgId: orgA, teamId: teamA, name: 'a', alias: 'shared' } }));
    const dupAlias = await t.app.gql(create, { i: { orgId: orgA, teamId: teamA, name: 'b', alias: 'shared' } });
    expect(errorOf(dupAlias)).toEqual({ code: 'CONFLICT', field: 'input.alias' });
  });

  it('updates only what is given; null clears; revoked keys cannot change', async () => {
    await ensureModels();
    const orgId = await createOrg(t.app, 'Update Keys');
    const teamA = await createTeam(t.app, orgId, 'A');
    const teamB = await createTeam(t.app, orgId, 'B');
    const userId = await createUser(t.app, orgId, 'me@update.io', [teamA, teamB]);
    const made = await must<{ createVirtualKey: { virtualKey: Key } }>(
      t.app.gql(create, { i: { orgId, userId, teamId: teamA, name: 'k', allowedModels: ['gpt-4o'] } }),
    );
    const id = made.createVirtualKey.virtualKey.id;
    const [{ version: v0 }] = await t.db.query('select version::int from config_state');
    // Name, alias and metadata are not in the snapshot: no config change.
    const renamed = await expectAudited(t, 'virtualKey.update', () =>
      t.app.gql<{ updateVirtualKey: Key }>(update, { id, i: { name: 'renamed', alias: 'svc', metadata: { a: 1 } } }),
    );
    expect(renamed.data.updateVirtualKey).toMatchObject({
      name: 'renamed',
      alias: 'svc',
      metadata: { a: 1 },
      allowedModels: ['gpt-4o'],
      teamId: teamA,
    });
    const [{ version: v1 }] = await t.db.query('select version::int from config_state');
    expect(v1).toBe(v0);
    const limits = await must<{ updateVirtualKey: Key }>(
      t.app.gql(update, { id, i: { allowedModels: null, teamId: teamB, alias: null } }),
    );
    expect(limits.updateVirtualKey).toMatchObject({ allowedModels: null, teamId: teamB, alias: null, name: 'renamed' });
    const [{ version: v2 }] = await t.db.query('select version::int from config_state');
    expect(v2).toBe(v1 + 1);
    expect(errorOf(await t.app.gql(update, { id, i: { teamId: await createTeam(t.app, orgId, 'C') } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.teamId',
    });

    const teamKey = await createKey(t.app, { orgId, teamId: teamA });
    expect(errorOf(await t.app.gql(update, { id: teamKey.id, i: { teamId: teamB } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.teamId',
    });
    await must(t.app.gql('mutation($id: ID!) { revokeVirtualKey(id: $id) { id } }', { id }));
    expect(errorOf(await t.app.gql(update, { id, i: { name: 'x' } }))).toEqual({ code: 'CONFLICT', field: 'id' });
  });

  it('revokes idempotently: one audit event per call, one config change', async () => {
    const orgId = await createOrg(t.app, 'Revoke Inc');
    const key = await createKey(t.app, { orgId });
    const revoke = 'mutation($id: ID!) { revokeVirtualKey(id: $id) { status revokedAt } }';
    const first = await expectAudited(t, 'virtualKey.revoke', () =>
      t.app.gql<{ revokeVirtualKey: { status: string; revokedAt: string } }>(revoke, { id: key.id }),
    );
    expect(first.data.revokeVirtualKey.status).toBe('REVOKED');
    const [{ version }] = await t.db.query('select version from config_state');
    const second = await expectAudited(t, 'virtualKey.revoke', () =>
      t.app.gql<{ revokeVirtualKey: { revokedAt: string } }>(revoke, { id: key.id }),
    );
    expect(second.data.revokeVirtualKey.revokedAt).toBe(first.data.revokeVirtualKey.revokedAt);
    const [{ version: after }] = await t.db.query('select version from config_state');
    expect(after).toBe(version);
    const missing = await t.app.gql(revoke, { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND', field: 'id' });
  });

  it('rotates: a new secret, the old hash kept with its grace end; rotating a revoked key is a conflict', async () => {
    const orgId = await createOrg(t.app, 'Rotate Inc');
    const key = await createKey(t.app, { orgId });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const { data, event } = await expectAudited(t, 'virtualKey.rotate', () =>
      t.app.gql<{ rotateVirtualKey: { secret: string; virtualKey: Key } }>(rotate, { id: key.id, until }),
    );
    const { secret, virtualKey } = data.rotateVirtualKey;
    expect(secret).not.toBe(key.secret);
    expect(virtualKey).toMatchObject({
      id: key.id,
      prefix: secret.slice(0, 12),
      previousPrefix: key.secret.slice(0, 12),
      previousSecretValidUntil: until,
      status: 'ACTIVE',
    });
    expect(JSON.stringify(event)).not.toContain(secret);
    const [row] = await t.db.query(
      'select key_hash, previous_key_hash, previous_expires_at from virtual_keys where id = $1',
      [key.id],
    );
    expect(row.key_hash).toBe(sha256Hex(secret));
    expect(row.previous_key_hash).toBe(sha256Hex(key.secret));
    expect(new Date(row.previous_expires_at).toISOString()).toBe(until);

    // Without a grace period the old secret stops at once (and the earlier grace ends too).
    const again = await must<{ rotateVirtualKey: { virtualKey: Key } }>(t.app.gql(rotate, { id: key.id }));
    expect(again.rotateVirtualKey.virtualKey).toMatchObject({ previousPrefix: null, previousSecretValidUntil: null });
    for (const [bad, field] of [
      [new Date(Date.now() - 1000).toISOString(), 'previousSecretValidUntil'],
      [new Date(Date.now() + 31 * 86_400_000).toISOString(), 'previousSecretValidUntil'],
    ]) {
      expect(errorOf(await t.app.gql(rotate, { id: key.id, until: bad }))).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    await must(t.app.gql('mutation($id: ID!) { revokeVirtualKey(id: $id) { id } }', { id: key.id }));
    expect(errorOf(await t.app.gql(rotate, { id: key.id }))).toEqual({ code: 'CONFLICT', field: 'id' });
  });

  it('lists and filters keys by status, owner, team and search, in an org and nested', async () => {
    const orgId = await createOrg(t.app, 'List Keys');
    const team = await createTeam(t.app, orgId, 'T');
    const user = await createUser(t.app, orgId, 'l@keys.io', [team]);
    const a = await createKey(t.app, { orgId, teamId: team, name: 'alpha' });
    const b = await createKey(t.app, { orgId, userId: user, teamId: team, name: 'beta' });
    const c = await createKey(t.app, { orgId, userId: user, name: 'gamma' });
    await must(t.app.gql('mutation($id: ID!) { revokeVirtualKey(id: $id) { id } }', { id: c.id }));
    const q = `query($o: ID!, $f: VirtualKeyFilter) { virtualKeys(orgId: $o, filter: $f) { totalCount nodes { id } } }`;
    const ids = async (f: Record<string, unknown>) =>
      (await must<{ virtualKeys: { nodes: { id: string }[] } }>(t.app.gql(q, { o: orgId, f }))).virtualKeys.nodes.map(
        (k) => k.id,
      );
    expect(await ids({})).toEqual([a.id, b.id, c.id]);
    expect(await ids({ status: 'ACTIVE' })).toEqual([a.id, b.id]);
    expect(await ids({ status: 'REVOKED' })).toEqual([c.id]);
    expect(await ids({ ownerKind: 'TEAM' })).toEqual([a.id]);
    expect(await ids({ userId: user })).toEqual([b.id, c.id]);
    expect(await ids({ teamId: team })).toEqual([a.id, b.id]);
    expect(await ids({ search: 'GAM' })).toEqual([c.id]);
    const nested = await must<{
      user: { virtualKeys: { nodes: { id: string }[] } };
      team: { virtualKeys: { totalCount: number } };
    }>(
      t.app.gql(
        'query($u: ID!, $t: ID!) { user(id: $u) { virtualKeys(filter: { status: ACTIVE }) { nodes { id } } } team(id: $t) { virtualKeys { totalCount } } }',
        { u: user, t: team },
      ),
    );
    expect(nested.user.virtualKeys.nodes.map((k) => k.id)).toEqual([b.id]);
    expect(nested.team.virtualKeys.totalCount).toBe(2);
    const owner = await must<{
      virtualKey: { user: { email: string }; team: { name: string }; organization: { id: string } };
    }>(
      t.app.gql('query($id: ID!) { virtualKey(id: $id) { user { email } team { name } organization { id } } }', {
        id: b.id,
      }),
    );
    expect(owner.virtualKey).toEqual({
      user: { email: 'l@keys.io' },
      team: { name: 'T' },
      organization: { id: orgId },
    });
  });

  it('keeps org roles to their own org: foreign keys are not found, viewers cannot write', async () => {
    const mine = await createOrg(t.app, 'Key Scope Mine');
    const other = await createOrg(t.app, 'Key Scope Other');
    const myTeam = await createTeam(t.app, mine);
    const foreign = await createKey(t.app, { orgId: other });
    const own = await createKey(t.app, { orgId: mine, teamId: myTeam });
    const admin = await tokenFor(t, 'ORG_ADMIN', mine);
    const viewer = await tokenFor(t, 'ORG_VIEWER', mine);
    expect((await t.app.gql('query($id: ID!) { virtualKey(id: $id) { id } }', { id: foreign.id }, admin)).data).toEqual(
      {
        virtualKey: null,
      },
    );
    for (const [m, extra] of [
      ['revokeVirtualKey(id: $id) { id }', ''],
      ['rotateVirtualKey(id: $id) { secret }', ''],
      ['updateVirtualKey(id: $id, input: { name: "x" }) { id }', ''],
    ]) {
      const doc = `mutation($id: ID!) { ${m} }${extra}`;
      expect(errorOf(await t.app.gql(doc, { id: foreign.id }, admin))).toEqual({ code: 'NOT_FOUND', field: 'id' });
      expect(codeOf(await t.app.gql(doc, { id: own.id }, viewer))).toBe('FORBIDDEN');
    }
    expect(codeOf(await t.app.gql(create, { i: { orgId: other, teamId: myTeam, name: 'x' } }, admin))).toBe(
      'FORBIDDEN',
    );
    expect(
      codeOf(await t.app.gql('query($o: ID!) { virtualKeys(orgId: $o) { totalCount } }', { o: other }, viewer)),
    ).toBe('FORBIDDEN');
    const made = await t.app.gql<{ createVirtualKey: { virtualKey: Key } }>(
      create,
      { i: { orgId: mine, teamId: myTeam, name: 'by-admin' } },
      admin,
    );
    expect(made.errors).toBeUndefined();
    const [row] = await t.db.query('select revoked_at from virtual_keys where id = $1', [foreign.id]);
    expect(row.revoked_at).toBeNull();
  });
});
