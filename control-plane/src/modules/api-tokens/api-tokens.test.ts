// Integrator API tokens: a role and a scope, the token shown once and stored hashed, revocable, expiring.
import { describe, expect, it } from 'vitest';
import { createOrg, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';

const t = useApiSuite();

const create =
  'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id prefix role orgId status createdBy } } }';
const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

async function tokenFor(orgId: string | null, role: string, name = 'ci'): Promise<{ id: string; token: string }> {
  const r = await must<{ createApiToken: { token: string; apiToken: { id: string } } }>(
    t.app.gql(create, { i: { name, role, orgId } }),
  );
  return { id: r.createApiToken.apiToken.id, token: r.createApiToken.token };
}

describe('API tokens', () => {
  it('acts with its role in its org only, is stored as a hash, and records its last use', async () => {
    const orgA = await createOrg(t.app, 'Tokens A');
    const orgB = await createOrg(t.app, 'Tokens B');
    const made = await t.app.gql<{ createApiToken: { token: string; apiToken: Record<string, unknown> } }>(create, {
      i: { name: 'billing sync', role: 'ORG_ADMIN', orgId: orgA },
    });
    const { token, apiToken } = made.data!.createApiToken;
    expect(token).toMatch(/^gwt_[0-9A-Za-z]{43}$/);
    expect(apiToken).toMatchObject({ role: 'ORG_ADMIN', orgId: orgA, status: 'ACTIVE', createdBy: 'ADMIN_TOKEN' });
    expect(token.startsWith(apiToken.prefix as string)).toBe(true);
    const [row] = await t.db.query('select token_hash, last_used_at from api_tokens where id = $1', [apiToken.id]);
    expect(row.token_hash).not.toContain(token);
    expect(row.last_used_at).toBeNull();

    const own = await t.app.gql('query($o: ID) { apiTokens(orgId: $o) { totalCount } }', { o: orgA }, token);
    expect(own.errors).toBeUndefined();
    expect(codeOf(await t.app.gql('query($o: ID) { apiTokens(orgId: $o) { totalCount } }', { o: orgB }, token))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await t.app.gql('{ apiTokens { totalCount } }', {}, token))).toBe('FORBIDDEN');
    const [used] = await t.db.query('select last_used_at from api_tokens where id = $1', [apiToken.id]);
    expect(used.last_used_at).not.toBeNull();
  });

  it('lets an org admin mint tokens for its own org up to its own role, and a viewer none', async () => {
    const org = await createOrg(t.app, 'Mint');
    const admin = await tokenFor(org, 'ORG_ADMIN');
    const viewer = await tokenFor(org, 'ORG_VIEWER');
    const ok = await t.app.gql(create, { i: { name: 'read-only', role: 'ORG_VIEWER', orgId: org } }, admin.token);
    expect(ok.errors).toBeUndefined();
    expect(codeOf(await t.app.gql(create, { i: { name: 'up', role: 'PLATFORM_ADMIN' } }, admin.token))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await t.app.gql(create, { i: { name: 'v', role: 'ORG_VIEWER', orgId: org } }, viewer.token))).toBe(
      'FORBIDDEN',
    );
  });

  it('stops working once revoked or expired', async () => {
    const org = await createOrg(t.app, 'Revoke');
    const tok = await tokenFor(org, 'ORG_VIEWER');
    const read = 'query($o: ID) { apiTokens(orgId: $o) { totalCount } }';
    expect((await t.app.gql(read, { o: org }, tok.token)).errors).toBeUndefined();
    const revoked = await t.app.gql<{ revokeApiToken: { status: string } }>(
      'mutation($id: ID!) { revokeApiToken(id: $id) { status } }',
      { id: tok.id },
    );
    expect(revoked.data?.revokeApiToken.status).toBe('REVOKED');
    expect(codeOf(await t.app.gql(read, { o: org }, tok.token))).toBe('UNAUTHENTICATED');

    const short = await tokenFor(org, 'ORG_VIEWER', 'short-lived');
    await t.db.query("update api_tokens set expires_at = now() - interval '1 second' where id = $1", [short.id]);
    expect(codeOf(await t.app.gql(read, { o: org }, short.token))).toBe('UNAUTHENTICATED');
    const listed = await t.app.gql<{ apiTokens: { nodes: { status: string }[] } }>(
      'query($o: ID) { apiTokens(orgId: $o, filter: { includeInactive: true }) { nodes { status } } }',
      { o: org },
    );
    expect(listed.data?.apiTokens.nodes.map((n) => n.status).sort()).toEqual(['EXPIRED', 'REVOKED']);
    const events = await t.db.query("select action from audit_events where target_type = 'apiToken' and org_id = $1", [
      org,
    ]);
    expect(events.map((e) => e.action).sort()).toEqual(['apiToken.create', 'apiToken.create', 'apiToken.revoke']);
  });

  it('validates scope and expiry with field paths', async () => {
    const org = await createOrg(t.app, 'Token input');
    const past = await t.app.gql(create, {
      i: { name: 'x', role: 'ORG_VIEWER', orgId: org, expiresAt: '2000-01-01T00:00:00Z' },
    });
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expiresAt' });
    const platformWithOrg = await t.app.gql(create, { i: { name: 'x', role: 'PLATFORM_ADMIN', orgId: org } });
    expect(platformWithOrg.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.orgId' });
  });
});
