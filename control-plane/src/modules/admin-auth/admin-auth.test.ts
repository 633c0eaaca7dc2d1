// Admin login/logout/me, first-admin seeding, and who may call what (UNAUTHENTICATED / FORBIDDEN).
import { describe, expect, it } from 'vitest';
import { useApiSuite } from '../../test-support/suite.ts';
import { dataPlaneToken, seedAdmin } from '../../test-support/test-app.ts';
import { AdminAuthService } from './admin-auth.service.ts';

const t = useApiSuite();

const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token admin { id email role } } }';

describe('admin login', () => {
  it('logs in with the right password, then me, then logout ends the session', async () => {
    const r = await t.app.gql<{ login: { token: string; admin: { email: string; role: string } } }>(
      login,
      { e: seedAdmin.email.toUpperCase(), p: seedAdmin.password },
      null,
    );
    expect(r.data?.login.admin).toMatchObject({ email: seedAdmin.email, role: 'PLATFORM_ADMIN' });
    const token = r.data!.login.token;
    const [session] = await t.db.query('select token_hash, expires_at from admin_sessions');
    expect(session.token_hash).not.toBe(token);
    expect(new Date(session.expires_at).getTime()).toBeGreaterThan(Date.now());

    const me = await t.app.gql<{ me: { email: string } }>('{ me { email } }', {}, token);
    expect(me.data?.me.email).toBe(seedAdmin.email);
    const orgs = await t.app.gql('{ organizations { nodes { id } } }', {}, token);
    expect(orgs.errors).toBeUndefined();

    expect((await t.app.gql('mutation { logout }', {}, token)).data).toEqual({ logout: true });
    const after = await t.app.gql('{ organizations { nodes { id } } }', {}, token);
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await t.app.gql('{ me { email } }', {}, token)).data).toEqual({ me: null });
  });

  it('fails with a wrong password or an unknown email, identically', async () => {
    const wrong = await t.app.gql(login, { e: seedAdmin.email, p: 'wrong password' }, null);
    const unknown = await t.app.gql(login, { e: 'nobody@example.com', p: seedAdmin.password }, null);
    for (const r of [wrong, unknown]) {
      expect(r.data).toBeNull();
      expect(r.errors?.[0]).toMatchObject({
        message: 'Invalid email or password',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
  });

  it('throttles failed logins per email, also for the right password, without touching other emails', async () => {
    await t.app.gql('mutation($i: CreateAdminUserInput!) { createAdminUser(input: $i) { id } }', {
      i: { email: 'target@example.com', password: 'the real password', role: 'PLATFORM_ADMIN' },
    });
    for (let i = 0; i < 5; i++) {
      const r = await t.app.gql(login, { e: 'target@example.com', p: `guess ${i}` }, null);
      expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const blocked = await t.app.gql(login, { e: 'Target@Example.com', p: 'the real password' }, null);
    expect(blocked.errors?.[0].extensions).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(blocked.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
    const other = await t.app.gql(login, { e: seedAdmin.email, p: seedAdmin.password }, null);
    expect(other.errors).toBeUndefined();
    // The window passes (rows age out): the right password works again and clears the count.
    await t.db.query("update login_failures set at = now() - interval '16 minutes'");
    expect((await t.app.gql(login, { e: 'target@example.com', p: 'the real password' }, null)).errors).toBeUndefined();
    expect(await t.db.query("select 1 from login_failures where email_key = 'target@example.com'")).toHaveLength(0);
  });

  it('seeds the first admin only once', async () => {
    const service = new AdminAuthService(t.app.deps.orm.em.fork());
    await service.seedFirstAdmin({ email: 'second@example.com', password: 'another password' }, t.app.deps.logger);
    const admins = await t.db.query('select email, password_hash from admin_users order by created_at');
    // The seed admin, plus the one the throttling test created; never the second seed.
    expect(admins.map((a) => a.email)).not.toContain('second@example.com');
    expect(admins[0].email).toBe(seedAdmin.email);
    expect(admins[0].password_hash).not.toContain(seedAdmin.password);
  });
});

describe('authorization', () => {
  it('answers UNAUTHENTICATED without a token or with an unknown one', async () => {
    for (const token of [null, 'not-a-real-token']) {
      const r = await t.app.gql('{ organizations { nodes { id } } }', {}, token);
      expect(r.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect((await t.app.gql('{ me { id } }', {}, null)).data).toEqual({ me: null });
  });

  it('keeps the data-plane token to its three fields', async () => {
    const admin = await t.app.gql(
      'mutation { createOrganization(input: { name: "Nope" }) { id } }',
      {},
      dataPlaneToken,
    );
    expect(admin.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    for (const query of [
      '{ organizations { nodes { id } } }',
      '{ configState { version } }',
      '{ dataPlaneNodes { nodes { nodeId } } }',
    ]) {
      const read = await t.app.gql(query, {}, dataPlaneToken);
      expect(read.errors?.[0].extensions?.code, query).toBe('FORBIDDEN');
    }
    const report = await t.app.gql(
      'mutation($i: JSON!) { reportNodeStatus(input: $i) }',
      {
        i: {
          nodeId: 'n1',
          appliedVersion: null,
          appliedHash: null,
          source: null,
          startedAt: new Date().toISOString(),
          version: '0.1.0',
        },
      },
      dataPlaneToken,
    );
    expect(report.data).toEqual({ reportNodeStatus: true });
  });

  it('keeps admins off the data-plane-only mutations', async () => {
    const r = await t.app.gql('mutation { ingestUsage(batch: { records: [] }) { accepted } }');
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
