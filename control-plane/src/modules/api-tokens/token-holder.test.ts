// An API token rests on the standing of the admin it was made for: refused while that admin is disabled, capped
// at the admin's current role, revoked when the admin is deleted; tokens minted by a token inherit its holder and
// cannot outlive it. Tokens made with ADMIN_TOKEN rest on the deployment's configuration alone.
import { describe, expect, it } from 'vitest';
import { createOrgAdmin, mintApiToken, updateAdmin } from '../../test-support/admin-fixtures.ts';
import { createOrg, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';

const t = useApiSuite();

const create = 'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id } } }';
const readTokens = 'query($o: ID) { apiTokens(orgId: $o) { totalCount } }';
const createTeam = 'mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }';
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code ?? 'ok';

describe('API tokens and their holder', () => {
  it('refuse to work while their admin is disabled, also tokens they minted, and work again once re-enabled', async () => {
    const org = await createOrg(t.app, 'Holder disabled');
    const alice = await createOrgAdmin(t.app, org, 'alice@holder.example');
    const token = await mintApiToken(t.app, alice.session, org);
    const minted = await mintApiToken(t.app, token.token, org, 'ORG_VIEWER');
    const adminTokenMade = await mintApiToken(t.app, 'test-admin-token-0123456789', org);
    for (const tok of [token, minted]) expect(codeOf(await t.app.gql(readTokens, { o: org }, tok.token))).toBe('ok');

    await updateAdmin(t.app, alice.id, { disabled: true });
    for (const tok of [token, minted]) {
      expect(codeOf(await t.app.gql(readTokens, { o: org }, tok.token))).toBe('UNAUTHENTICATED');
    }
    const more = await t.app.gql(create, { i: { name: 'more', role: 'ORG_VIEWER', orgId: org } }, token.token);
    expect(codeOf(more)).toBe('UNAUTHENTICATED');
    // A token made with ADMIN_TOKEN has no admin behind it.
    expect(codeOf(await t.app.gql(readTokens, { o: org }, adminTokenMade.token))).toBe('ok');

    await updateAdmin(t.app, alice.id, { disabled: false });
    for (const tok of [token, minted]) expect(codeOf(await t.app.gql(readTokens, { o: org }, tok.token))).toBe('ok');
  });

  it('act with no more than their admin’s current role, and mint nothing above it', async () => {
    const org = await createOrg(t.app, 'Holder demoted');
    const bob = await createOrgAdmin(t.app, org, 'bob@holder.example');
    const token = await mintApiToken(t.app, bob.session, org);
    expect(codeOf(await t.app.gql(createTeam, { i: { orgId: org, name: 'Before' } }, token.token))).toBe('ok');

    await updateAdmin(t.app, bob.id, { role: 'ORG_VIEWER' });
    expect(codeOf(await t.app.gql(readTokens, { o: org }, token.token))).toBe('ok');
    expect(codeOf(await t.app.gql(createTeam, { i: { orgId: org, name: 'During' } }, token.token))).toBe('FORBIDDEN');
    const mintDuring = await t.app.gql(create, { i: { name: 'x', role: 'ORG_VIEWER', orgId: org } }, token.token);
    expect(codeOf(mintDuring)).toBe('FORBIDDEN');

    await updateAdmin(t.app, bob.id, { role: 'ORG_ADMIN' });
    expect(codeOf(await t.app.gql(createTeam, { i: { orgId: org, name: 'After' } }, token.token))).toBe('ok');
  });

  it('are revoked, minted ones included, when their admin is deleted', async () => {
    const org = await createOrg(t.app, 'Holder deleted');
    const carol = await createOrgAdmin(t.app, org, 'carol@holder.example');
    const token = await mintApiToken(t.app, carol.session, org);
    const minted = await mintApiToken(t.app, token.token, org, 'ORG_VIEWER');
    await must(t.app.gql('mutation($id: ID!) { deleteAdminUser(id: $id) }', { id: carol.id }));

    for (const tok of [token, minted]) {
      expect(codeOf(await t.app.gql(readTokens, { o: org }, tok.token))).toBe('UNAUTHENTICATED');
    }
    const listed = await must<{ apiTokens: { nodes: { id: string; status: string }[] } }>(
      t.app.gql('query($o: ID) { apiTokens(orgId: $o, filter: { includeInactive: true }) { nodes { id status } } }', {
        o: org,
      }),
    );
    expect(listed.apiTokens.nodes.map((n) => n.status)).toEqual(['REVOKED', 'REVOKED']);
    const events = await t.db.query(
      "select target_id, actor_label from audit_events where action = 'apiToken.revoke' and org_id = $1",
      [org],
    );
    expect(events.map((e) => e.target_id).sort()).toEqual([token.id, minted.id].sort());
    expect(new Set(events.map((e) => e.actor_label))).toEqual(new Set(['ADMIN_TOKEN']));
  });

  it('let a token that expires mint only tokens that expire no later', async () => {
    const org = await createOrg(t.app, 'Holder expiry');
    const dave = await createOrgAdmin(t.app, org, 'dave@holder.example');
    const until = new Date(Date.now() + 86_400_000);
    const token = await mintApiToken(t.app, dave.session, org, 'ORG_ADMIN', until.toISOString());
    const later = new Date(until.getTime() + 1_000).toISOString();
    for (const expiresAt of [null, later]) {
      const r = await t.app.gql(create, { i: { name: 'x', role: 'ORG_VIEWER', orgId: org, expiresAt } }, token.token);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expiresAt' });
    }
    await mintApiToken(t.app, token.token, org, 'ORG_VIEWER', until.toISOString());
    // A session's 12 hours do not bind what an admin creates with it.
    await mintApiToken(t.app, dave.session, org, 'ORG_VIEWER');
  });
});
