// Admin users within scope: platform admins manage everyone, org admins their own org's admins and viewers,
// viewers nothing; sessions end when an admin is disabled; nobody locks the platform out.
import { describe, expect, it } from 'vitest';
import { createOrg, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { seedAdmin } from '../../test-support/test-app.ts';

const t = useApiSuite();

const create = 'mutation($i: CreateAdminUserInput!) { createAdminUser(input: $i) { id email role orgId disabled } }';
const update =
  'mutation($id: ID!, $i: UpdateAdminUserInput!) { updateAdminUser(id: $id, input: $i) { id role disabled name } }';
const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
const password = 'a long enough password';

const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;
const fieldOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.field;

async function adminOf(orgId: string | null, role: string, email: string): Promise<{ id: string; token: string }> {
  const made = await must<{ createAdminUser: { id: string } }>(
    t.app.gql(create, { i: { email, password, role, orgId } }),
  );
  const session = await must<{ login: { token: string } }>(t.app.gql(login, { e: email, p: password }, null));
  return { id: made.createAdminUser.id, token: session.login.token };
}

describe('admin users', () => {
  it('lets an org admin manage its own org only, never above its role', async () => {
    const orgA = await createOrg(t.app, 'Admins A');
    const orgB = await createOrg(t.app, 'Admins B');
    const a = await adminOf(orgA, 'ORG_ADMIN', 'alice@a.example');

    const viewer = await t.app.gql<{ createAdminUser: { role: string; orgId: string } }>(
      create,
      { i: { email: 'victor@a.example', password, role: 'ORG_VIEWER', orgId: orgA } },
      a.token,
    );
    expect(viewer.data?.createAdminUser).toMatchObject({ role: 'ORG_VIEWER', orgId: orgA });

    const platform = await t.app.gql(
      create,
      { i: { email: 'p@x.example', password, role: 'PLATFORM_ADMIN' } },
      a.token,
    );
    expect(codeOf(platform)).toBe('FORBIDDEN');
    const foreign = await t.app.gql(
      create,
      { i: { email: 'b@b.example', password, role: 'ORG_ADMIN', orgId: orgB } },
      a.token,
    );
    expect(codeOf(foreign)).toBe('FORBIDDEN');

    const mine = await t.app.gql<{ adminUsers: { totalCount: number; nodes: { email: string }[] } }>(
      'query($o: ID) { adminUsers(orgId: $o) { totalCount nodes { email } } }',
      { o: orgA },
      a.token,
    );
    expect(mine.data?.adminUsers.nodes.map((n) => n.email).sort()).toEqual(['alice@a.example', 'victor@a.example']);
    expect(codeOf(await t.app.gql('{ adminUsers { totalCount } }', {}, a.token))).toBe('FORBIDDEN');
    expect(
      codeOf(await t.app.gql('query($o: ID) { adminUsers(orgId: $o) { totalCount } }', { o: orgB }, a.token)),
    ).toBe('FORBIDDEN');
  });

  it('keeps viewers read-only and hides foreign admins as NOT_FOUND', async () => {
    const orgA = await createOrg(t.app, 'Viewers A');
    const orgB = await createOrg(t.app, 'Viewers B');
    const v = await adminOf(orgA, 'ORG_VIEWER', 'viewer@va.example');
    const b = await adminOf(orgB, 'ORG_ADMIN', 'bob@vb.example');
    const read = await t.app.gql('query($o: ID) { adminUsers(orgId: $o) { totalCount } }', { o: orgA }, v.token);
    expect(read.errors).toBeUndefined();
    const write = await t.app.gql(
      create,
      { i: { email: 'new@va.example', password, role: 'ORG_VIEWER', orgId: orgA } },
      v.token,
    );
    expect(codeOf(write)).toBe('FORBIDDEN');
    const reach = await t.app.gql(update, { id: b.id, i: { name: 'hijacked' } }, v.token);
    expect(codeOf(reach)).toBe('NOT_FOUND');
  });

  it('ends the sessions of a disabled admin, and refuses to disable oneself or the last platform admin', async () => {
    const org = await createOrg(t.app, 'Disable');
    const boss = await adminOf(org, 'ORG_ADMIN', 'boss@d.example');
    const staff = await adminOf(org, 'ORG_VIEWER', 'staff@d.example');
    expect((await t.app.gql('{ me { email } }', {}, staff.token)).data).toEqual({ me: { email: 'staff@d.example' } });

    const off = await t.app.gql<{ updateAdminUser: { disabled: boolean } }>(
      update,
      { id: staff.id, i: { disabled: true } },
      boss.token,
    );
    expect(off.data?.updateAdminUser.disabled).toBe(true);
    const after = await t.app.gql('query($o: ID) { adminUsers(orgId: $o) { totalCount } }', { o: org }, staff.token);
    expect(codeOf(after)).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.app.gql(login, { e: 'staff@d.example', p: password }, null))).toBe('UNAUTHENTICATED');

    expect(codeOf(await t.app.gql(update, { id: boss.id, i: { disabled: true } }, boss.token))).toBe('FORBIDDEN');
    const [root] = await t.db.query('select id from admin_users where email = $1', [seedAdmin.email]);
    expect(codeOf(await t.app.gql(update, { id: root.id, i: { disabled: true } }))).toBe('CONFLICT');
    expect(codeOf(await t.app.gql('mutation($id: ID!) { deleteAdminUser(id: $id) }', { id: root.id }))).toBe(
      'CONFLICT',
    );
  });

  it('validates input with field paths and refuses a second admin with the same email', async () => {
    const org = await createOrg(t.app, 'Validate');
    const short = await t.app.gql(create, {
      i: { email: 'x@v.example', password: 'short', role: 'ORG_ADMIN', orgId: org },
    });
    expect([codeOf(short), fieldOf(short)]).toEqual(['BAD_USER_INPUT', 'input.password']);
    const noOrg = await t.app.gql(create, { i: { email: 'x@v.example', password, role: 'ORG_ADMIN' } });
    expect([codeOf(noOrg), fieldOf(noOrg)]).toEqual(['BAD_USER_INPUT', 'input.orgId']);
    const badEmail = await t.app.gql(create, { i: { email: 'nope', password, role: 'ORG_ADMIN', orgId: org } });
    expect([codeOf(badEmail), fieldOf(badEmail)]).toEqual(['BAD_USER_INPUT', 'input.email']);
    await must(t.app.gql(create, { i: { email: 'dup@v.example', password, role: 'ORG_ADMIN', orgId: org } }));
    const dup = await t.app.gql(create, { i: { email: 'DUP@v.example', password, role: 'ORG_VIEWER', orgId: org } });
    expect([codeOf(dup), fieldOf(dup)]).toEqual(['CONFLICT', 'input.email']);
  });

  it('changes the own password after checking the current one, and audits every change without secrets', async () => {
    const org = await createOrg(t.app, 'Password');
    const me = await adminOf(org, 'ORG_ADMIN', 'me@pw.example');
    const change = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }';
    expect(codeOf(await t.app.gql(change, { c: 'wrong password!', n: 'another long password' }, me.token))).toBe(
      'UNAUTHENTICATED',
    );
    expect((await t.app.gql(change, { c: password, n: 'another long password' }, me.token)).data).toEqual({
      changePassword: true,
    });
    expect(codeOf(await t.app.gql(login, { e: 'me@pw.example', p: password }, null))).toBe('UNAUTHENTICATED');
    await must(t.app.gql(login, { e: 'me@pw.example', p: 'another long password' }, null));

    const events = await t.db.query(
      'select action, actor_label, before, after from audit_events where target_id = $1 order by id',
      [me.id],
    );
    expect(events.map((e) => e.action)).toEqual([
      'adminUser.create',
      'session.login',
      'adminUser.changePassword',
      'session.login',
    ]);
    expect(events[0]).toMatchObject({
      actor_label: 'ADMIN_TOKEN',
      after: { email: 'me@pw.example', role: 'org_admin' },
    });
    expect(JSON.stringify(events)).not.toMatch(/scrypt|another long password|a long enough password/);
  });
});
