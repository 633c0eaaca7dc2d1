// Virtual keys: the secret is returned once and only its hash is stored; scoping and revocation rules.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../crypto/tokens.ts';
import { createKey, createOrg, createTeam } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';

const t = useApiSuite();

const create = `mutation($i: CreateVirtualKeyInput!) {
  createVirtualKey(input: $i) { secret virtualKey { id orgId teamId userId name prefix allowedModels expiresAt status } }
}`;

describe('virtual keys', () => {
  it('returns the secret once and stores only its SHA-256 and prefix', async () => {
    const orgId = await createOrg(t.app, 'Keys Inc');
    const teamId = await createTeam(t.app, orgId);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const r = await t.app.gql<{ createVirtualKey: { secret: string; virtualKey: Record<string, unknown> } }>(create, {
      i: { orgId, teamId, name: ' ci ', allowedModels: ['gpt-4o', 'gpt-4o'], expiresAt },
    });
    const { secret, virtualKey } = r.data!.createVirtualKey;
    expect(secret).toMatch(/^sk-gw-[0-9A-Za-z]{40}$/);
    expect(virtualKey).toMatchObject({
      orgId,
      teamId,
      userId: null,
      name: 'ci',
      prefix: secret.slice(0, 12),
      allowedModels: ['gpt-4o'],
      expiresAt,
      status: 'ACTIVE',
    });

    const rows = await t.db.query('select * from virtual_keys where id = $1', [virtualKey.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).toBe(sha256Hex(secret));
    expect(rows[0].prefix).toBe(secret.slice(0, 12));
    expect(JSON.stringify(rows[0])).not.toContain(secret);

    // No read path shows the secret again.
    const listed = await t.app.gql('query($id: ID!) { organization(id: $id) { virtualKeys { id prefix status } } }', {
      id: orgId,
    });
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it('revokes (idempotently) and reports status REVOKED', async () => {
    const orgId = await createOrg(t.app, 'Revoke Inc');
    const key = await createKey(t.app, { orgId });
    const revoke = 'mutation($id: ID!) { revokeVirtualKey(id: $id) { status revokedAt } }';
    const first = await t.app.gql<{ revokeVirtualKey: { status: string; revokedAt: string } }>(revoke, { id: key.id });
    expect(first.data?.revokeVirtualKey.status).toBe('REVOKED');
    const [{ version }] = await t.db.query('select version from config_state');
    const second = await t.app.gql<{ revokeVirtualKey: { revokedAt: string } }>(revoke, { id: key.id });
    expect(second.data?.revokeVirtualKey.revokedAt).toBe(first.data?.revokeVirtualKey.revokedAt);
    const [{ version: after }] = await t.db.query('select version from config_state');
    expect(after).toBe(version);
    const missing = await t.app.gql(revoke, { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND', field: 'id' });
  });

  it('rejects a team or user of another org, and an expiry in the past', async () => {
    const orgA = await createOrg(t.app, 'Scope A');
    const orgB = await createOrg(t.app, 'Scope B');
    const teamB = await createTeam(t.app, orgB);
    const wrongTeam = await t.app.gql(create, { i: { orgId: orgA, teamId: teamB, name: 'k' } });
    expect(wrongTeam.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.teamId' });
    const wrongUser = await t.app.gql(create, { i: { orgId: orgA, userId: 'nope', name: 'k' } });
    expect(wrongUser.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.userId' });
    const past = await t.app.gql(create, { i: { orgId: orgA, name: 'k', expiresAt: '2001-01-01T00:00:00Z' } });
    expect(past.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.expiresAt' });
    const badModel = await t.app.gql(create, { i: { orgId: orgA, name: 'k', allowedModels: ['ok', ' '] } });
    expect(badModel.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.allowedModels.1' });
    const [{ count }] = await t.db.query('select count(*)::int as count from virtual_keys where org_id = $1', [orgA]);
    expect(count).toBe(0);
  });
});
