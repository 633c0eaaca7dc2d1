// Org › Keys in a browser, against a real control plane and data plane: an org admin creates a key and sees its
// secret once (copy puts it on the clipboard; afterwards only the prefix is ever shown or fetched), the secret works
// with the official OpenAI client, a rotation keeps the old secret working through its grace period, an edit sends
// only the changed fields, a revocation is refused by the data plane within seconds, server field errors land on
// their field, filters narrow the list, a user's page lists their keys (paginated), and a viewer sees everything
// without a write control.
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createModule } from '../harness/index.ts';
import { chatStatus, waitForChatStatus } from './commands/gateway-calls.ts';
import { signIn } from './commands/sign-in.ts';
import { laptop, type PageSession, tablet, useBrowser } from './fixtures/browser.ts';
import { type Login, startWebStack, type WebStack } from './fixtures/stack.ts';
import { KeyDetailPage } from './pages/key-detail-page.ts';
import { KeyForm, SecretDialog } from './pages/key-form.ts';
import { OrgKeysPage } from './pages/org-keys-page.ts';

interface StoredKey {
  name: string;
  alias: string | null;
  prefix: string;
  status: string;
  ownerKind: string;
  allowedModels: string[] | null;
  metadata: Record<string, unknown>;
  expiresAt: string | null;
  previousPrefix: string | null;
  previousSecretValidUntil: string | null;
  user: { email: string } | null;
  team: { name: string } | null;
  module: { key: string } | null;
}

const adaLabel = 'Ada Lovelace (ada@keys.test)';
const bobLabel = 'Bob Builder (bob@keys.test)';
const moduleLabel = 'Research assistant (research-assistant)';

/** Bodies of the GraphQL answers the page receives from now on (to prove a secret is never fetched again). */
function recordGraphqlAnswers(page: Page): string[] {
  const bodies: string[] = [];
  page.on('response', (r: Response) => {
    if (new URL(r.url()).pathname !== '/graphql') return;
    void r
      .text()
      .then((t) => bodies.push(t))
      .catch(() => {});
  });
  return bodies;
}

/** The page's document width does not exceed the viewport: nothing forces sideways scrolling. */
async function fitsViewport(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('org keys', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let orgId: string;
  let bobId: string;
  let orgAdmin: Login;
  let viewer: Login;
  let admin: PageSession;
  let supportBot: { id: string; prefix: string };
  // The key the admin creates in the UI, followed through rotation and revocation.
  let notebook: { id: string; secret: string; prefix: string; oldSecret?: string };

  const storedKey = async (id: string): Promise<StoredKey> => {
    const { virtualKey } = await stack.api<{ virtualKey: StoredKey }>(
      `query ($id: ID!) { virtualKey(id: $id) {
        name alias prefix status ownerKind allowedModels metadata expiresAt previousPrefix previousSecretValidUntil
        user { email } team { name } module { key }
      } }`,
      { id },
    );
    return virtualKey;
  };

  beforeAll(async () => {
    stack = await startWebStack({ name: 'web-org-keys', dataPlane: true });
    const { createOrganization } = await stack.api<{ createOrganization: { id: string } }>(
      'mutation { createOrganization(input: { name: "Keys Inc" }) { id } }',
    );
    orgId = createOrganization.id;
    const team = async (name: string) =>
      (
        await stack.api<{ createTeam: { id: string } }>(
          'mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }',
          { input: { orgId, name } },
        )
      ).createTeam.id;
    const research = await team('Research');
    const support = await team('Support');
    const user = async (email: string, name: string, teamIds: string[]) =>
      (
        await stack.api<{ createUser: { id: string } }>(
          'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
          { input: { orgId, email, name, teamIds } },
        )
      ).createUser.id;
    await user('ada@keys.test', 'Ada Lovelace', [research]);
    bobId = await user('bob@keys.test', 'Bob Builder', []);
    await createModule(stack.api, { key: 'research-assistant', name: 'Research assistant', orgId });
    supportBot = await createKey(stack.api, { orgId, teamId: support, name: 'support-bot' });
    await stack.api('mutation ($id: ID!) { updateVirtualKey(id: $id, input: { alias: "taken-alias" }) { id } }', {
      id: supportBot.id,
    });
    // Eleven keys of Bob: one more than his page shows at once.
    for (let i = 1; i <= 11; i += 1) {
      await createKey(stack.api, { orgId, userId: bobId, name: `bob-${String(i).padStart(2, '0')}` });
    }
    orgAdmin = await stack.createAdmin('ORG_ADMIN', orgId, 'admin@keys.test');
    viewer = await stack.createAdmin('ORG_VIEWER', orgId, 'viewer@keys.test');
    admin = await browser.newSession({ label: 'org admin', baseURL: stack.web.url, viewport: laptop });
    await signIn(admin.page, orgAdmin);
  });

  afterAll(() => stack?.stop());

  it('creates a key and shows its secret once: copied to the clipboard, then only the prefix', async () => {
    const { page } = admin;
    const list = new OrgKeysPage(page);
    await list.open(orgId);
    const form = await list.startCreate();
    await form.fill({
      owner: { user: adaLabel, team: 'Research' },
      name: 'notebook',
      alias: 'ada-notebook',
      module: moduleLabel,
      models: ['gpt-fixture'],
      expiry: 'In 30 days',
      metadata: '{"costCenter": "R-17"}',
    });
    await form.submit();

    const secretDialog = new SecretDialog(page);
    await secretDialog.waitFor();
    const secret = await secretDialog.secret();
    expect(secret).toMatch(/^sk-gw-[A-Za-z0-9]{40}$/);
    expect(await secretDialog.warning().textContent()).toMatch(/will not be shown again/);
    await admin.screenshot('org-key-secret');

    await secretDialog.copy();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const answers = recordGraphqlAnswers(page);
    await secretDialog.done();
    const secretTail = secret.slice(-24); // past the prefix: the part only the secret holds
    await list.row('notebook').waitFor();
    expect(await page.content()).not.toContain(secretTail);
    const prefix = await list.prefix('notebook');
    expect(prefix.length).toBeGreaterThan(6);
    expect(secret.startsWith(prefix)).toBe(true);

    await page.reload();
    await list.waitForLoaded();
    await list.row('notebook').waitFor();
    expect(await page.content()).not.toContain(secretTail);
    expect(await list.row('notebook').textContent()).toContain(prefix);
    expect(answers.length).toBeGreaterThan(0);
    for (const body of answers) expect(body).not.toContain(secretTail);

    const id = await list.row('notebook').getByRole('link').first().getAttribute('href');
    notebook = { id: id?.split('/').pop() ?? '', secret, prefix };
    const stored = await storedKey(notebook.id);
    expect(stored).toMatchObject({
      name: 'notebook',
      alias: 'ada-notebook',
      prefix,
      status: 'ACTIVE',
      ownerKind: 'USER',
      allowedModels: ['gpt-fixture'],
      metadata: { costCenter: 'R-17' },
      user: { email: 'ada@keys.test' },
      team: { name: 'Research' },
      module: { key: 'research-assistant' },
    });
    const days = (new Date(stored.expiresAt ?? 0).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    await admin.screenshot('org-keys');
  });

  it('the new secret works with the official OpenAI client on a data plane', async () => {
    await waitForChatStatus(stack, notebook.secret, 200, 'the data plane to accept the new key');
  });

  it('rotates with a grace period: the new secret works and the old one still does', async () => {
    const { page } = admin;
    const list = new OrgKeysPage(page);
    await list.openKey('notebook');
    const detail = new KeyDetailPage(page);
    await detail.waitForLoaded();
    expect(await detail.text('prefix').textContent()).toBe(`${notebook.prefix}…`);
    expect(await detail.text('alias').textContent()).toBe('ada-notebook');
    expect(await detail.text('owner').textContent()).toContain(adaLabel);
    expect(await detail.text('metadata').textContent()).toContain('"costCenter": "R-17"');

    await detail.rotate('1 hour');
    const secretDialog = new SecretDialog(page);
    await secretDialog.waitFor();
    const fresh = await secretDialog.secret();
    expect(fresh).toMatch(/^sk-gw-/);
    expect(fresh).not.toBe(notebook.secret);
    await secretDialog.copy();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fresh);
    await secretDialog.done();
    expect(await page.content()).not.toContain(fresh.slice(-24));

    await detail
      .text('previous')
      .getByText(/still works until/)
      .waitFor();
    expect(await detail.text('previous').textContent()).toContain(`${notebook.prefix}…`);
    const freshPrefix = fresh.slice(0, notebook.prefix.length);
    await detail.text('prefix').getByText(`${freshPrefix}…`).waitFor();

    const stored = await storedKey(notebook.id);
    expect(stored.previousPrefix).toBe(notebook.prefix);
    const graceMinutes = (new Date(stored.previousSecretValidUntil ?? 0).getTime() - Date.now()) / 60_000;
    expect(graceMinutes).toBeGreaterThan(55);
    expect(graceMinutes).toBeLessThanOrEqual(60);

    // Once the data plane takes the new secret it has the rotation, and with it the old secret's grace period.
    await waitForChatStatus(stack, fresh, 200, 'the data plane to accept the rotated secret');
    expect(await chatStatus(stack, notebook.secret)).toBe(200);
    notebook = { ...notebook, oldSecret: notebook.secret, secret: fresh, prefix: freshPrefix };
    await admin.screenshot('org-key');
  });

  it('edits a key, sending only the fields that changed', async () => {
    const { page } = admin;
    const detail = new KeyDetailPage(page);
    const before = await storedKey(notebook.id);
    const inputs: unknown[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'POST' || new URL(r.url()).pathname !== '/graphql') return;
      const body = r.postDataJSON() as { query?: string; variables?: { input?: unknown } } | null;
      if (body?.query?.includes('mutation UpdateOrgKey')) inputs.push(body.variables?.input);
    });
    const form = await detail.edit();
    expect(await form.field('Owner').textContent()).toContain(adaLabel);
    expect(await form.input('Alias').inputValue()).toBe('ada-notebook');
    await form.input('Alias').fill('ada-nb');
    await form.pick('Every model the organization may use');
    await form.submit();
    await form.waitForClosed();
    await detail.text('alias').getByText('ada-nb', { exact: true }).waitFor();
    expect(inputs).toEqual([{ alias: 'ada-nb', allowedModels: null }]);
    const after = await storedKey(notebook.id);
    expect(after).toEqual({ ...before, alias: 'ada-nb', allowedModels: null });
  });

  it('revokes only after confirmation; the data plane then refuses the key within seconds', async () => {
    const { page } = admin;
    const detail = new KeyDetailPage(page);
    const cancelled = await detail.revoke();
    await cancelled.cancel();
    expect(await chatStatus(stack, notebook.secret)).toBe(200);
    expect((await storedKey(notebook.id)).status).toBe('ACTIVE');

    const dialog = await detail.revoke();
    expect(await dialog.root().textContent()).toMatch(/stops working on every data plane within a second/);
    await dialog.confirm();
    await detail.text('status').getByText('Revoked').waitFor();
    expect(await detail.revokeButton().count()).toBe(0);
    expect(await detail.rotateButton().count()).toBe(0);

    await waitForChatStatus(stack, notebook.secret, 401, 'the data plane to refuse the revoked key', 5_000);
    expect(await chatStatus(stack, notebook.oldSecret ?? '')).toBe(401);
    expect((await storedKey(notebook.id)).status).toBe('REVOKED');
  });

  it('shows client rule errors and the server’s field errors on their field', async () => {
    const { page } = admin;
    const list = new OrgKeysPage(page);
    await list.open(orgId);
    const form = await list.startCreate();
    await form.fill({ owner: { team: 'Support' }, name: 'duplicate', alias: 'Not A Slug', metadata: '[1]' });
    await form.submit();
    await form.waitForError('Alias', /lowercase letters/);
    await form.waitForError('Metadata', /JSON object/);
    // Focus goes to the first invalid field.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('key-alias');

    // The alias is well formed but another key of the org has it: only the server knows.
    await form.input('Alias').fill('taken-alias');
    await form.input('Metadata').fill('');
    await form.submit();
    await form.waitForError('Alias', /alias "taken-alias"/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('key-alias');
    expect(await new SecretDialog(page).root().count()).toBe(0);
    await form.root().getByRole('button', { name: 'Cancel' }).click();
    await form.waitForClosed();
    expect(await list.names()).not.toContain('duplicate');
  });

  it('search and filters narrow the list', async () => {
    const { page } = admin;
    const list = new OrgKeysPage(page);
    const fresh = async () => {
      await list.open(orgId);
      expect((await list.names()).length).toBe(13);
    };
    await fresh();
    await list.search().fill('ada-nb');
    await list.waitForNames(['notebook']);
    await list.search().fill(supportBot.prefix);
    await list.waitForNames(['support-bot']);

    await fresh();
    await list.filter('Status', 'Revoked');
    await list.waitForNames(['notebook']);
    await fresh();
    await list.filter('Owner kind', 'Owned by a team');
    await list.waitForNames(['support-bot']);
    await fresh();
    await list.filter('Team', 'Research');
    await list.waitForNames(['notebook']);
    await fresh();
    await list.filter('User', adaLabel, 'Ada');
    await list.waitForNames(['notebook']);
    await fresh();
    await list.filter('Module', moduleLabel, 'research');
    await list.waitForNames(['notebook']);
    await list.search().fill('nothing-like-this');
    await page.getByText('No key matches these filters.').waitFor();
  });

  it('a user’s page lists their keys a page at a time and starts a new key with them as owner', async () => {
    const { page } = admin;
    await page.goto(`/orgs/${orgId}/users/${bobId}`);
    const keys = new OrgKeysPage(page);
    await keys.waitForPage('1–10 of 11', 10);
    expect(await keys.rowActionButtons().count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await keys.waitForPage('11–11 of 11', 1);
    const [last] = await keys.names();
    if (!last) throw new Error('no key on the second page');
    // The row's own revoke: confirmed, then the row says so and loses its actions.
    const confirm = await keys.revoke(last);
    expect(await confirm.root().textContent()).toMatch(/every data plane within a second/);
    await confirm.confirm();
    await page.waitForSelector(`[data-test="key-row"][data-name="${last}"][data-status="REVOKED"]`);
    expect(await keys.row(last).getByTestId('key-actions').count()).toBe(0);

    // The row's own rotate, without grace: a new secret shown once, and the row shows its prefix.
    await page.getByRole('button', { name: 'Previous', exact: true }).click();
    await keys.waitForPage('1–10 of 11', 10);
    const [first] = await keys.names();
    if (!first) throw new Error('no key on the first page');
    const before = await keys.prefix(first);
    await keys.rotate(first);
    await page.getByTestId('rotate-form').locator('label').filter({ hasText: 'No grace' }).click();
    await page.getByTestId('rotate-submit').click();
    const rotated = new SecretDialog(page);
    await rotated.waitFor();
    const rotatedSecret = await rotated.secret();
    await rotated.done();
    await page.waitForFunction(
      ([name, prefix]) =>
        document.querySelector(`[data-test="key-row"][data-name="${name}"] [data-test="key-prefix"]`)?.textContent ===
        `${prefix}…`,
      [first, rotatedSecret.slice(0, before.length)] as const,
    );
    expect(rotatedSecret.startsWith(before)).toBe(false);

    await page.getByTestId('user-new-key').click();
    const form = new KeyForm(page);
    await form.root().waitFor();
    expect(await form.field('User').textContent()).toContain(bobLabel);
    await form.fill({ name: 'bob-extra' });
    await form.submit();
    const secretDialog = new SecretDialog(page);
    await secretDialog.waitFor();
    const secret = await secretDialog.secret();
    await secretDialog.done();
    await page.getByText('1–10 of 12').waitFor();
    const { virtualKeys } = await stack.api<{ virtualKeys: { nodes: { name: string; prefix: string }[] } }>(
      'query ($orgId: ID!, $userId: ID!) { virtualKeys(orgId: $orgId, filter: { userId: $userId, search: "bob-extra" }) { nodes { name prefix } } }',
      { orgId, userId: bobId },
    );
    expect(virtualKeys.nodes).toHaveLength(1);
    expect(secret.startsWith(virtualKeys.nodes[0]?.prefix ?? '?')).toBe(true);
  });

  it('a viewer sees the keys and their details without any write control', async () => {
    const session = await browser.newSession({ label: 'org viewer', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, viewer);
    const list = new OrgKeysPage(page);
    await list.open(orgId);
    await list.row('support-bot').waitFor();
    expect(await list.rows().count()).toBe(14);
    expect(await list.newKeyButton().count()).toBe(0);
    expect(await list.rowActionButtons().count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);

    await list.openKey('support-bot');
    const detail = new KeyDetailPage(page);
    await detail.waitForLoaded();
    expect(await detail.text('alias').textContent()).toBe('taken-alias');
    expect(await detail.text('owner').textContent()).toContain('Team Support');
    for (const button of [detail.editButton(), detail.rotateButton(), detail.revokeButton()]) {
      expect(await button.count()).toBe(0);
    }

    await page.goto(`/orgs/${orgId}/users/${bobId}`);
    await page.getByText('1–10 of 12').waitFor();
    expect(await page.getByTestId('user-new-key').count()).toBe(0);
    expect(await list.rowActionButtons().count()).toBe(0);
  });

  it('works at tablet width: list, new key dialog and key page', async () => {
    const session = await browser.newSession({ label: 'org admin, tablet', baseURL: stack.web.url, viewport: tablet });
    const { page } = session;
    await signIn(page, orgAdmin);
    const list = new OrgKeysPage(page);
    await list.open(orgId);
    await list.row('support-bot').waitFor();
    expect(await fitsViewport(page)).toBe(true);
    await session.screenshot('org-keys');

    const form = await list.startCreate();
    expect(await form.input('Name').isVisible()).toBe(true);
    await session.screenshot('org-key-create');
    await form.root().getByRole('button', { name: 'Cancel' }).click();
    await form.waitForClosed();

    await list.openKey('support-bot');
    const detail = new KeyDetailPage(page);
    await detail.waitForLoaded();
    expect(await detail.rotateButton().isVisible()).toBe(true);
    expect(await fitsViewport(page)).toBe(true);
    await session.screenshot('org-key');
  });
});
