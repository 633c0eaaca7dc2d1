// The main journeys across pages, in one real browser: a platform admin onboards an organization end to end (org,
// module, team, user, key) and the key works on a data plane with the whole hierarchy in its usage record; an org
// viewer walks every page of the org panel and finds no control that changes anything, and the API refuses them.
// (Key rotation and revocation by an org admin: org-keys.test.ts; the usage dashboard: usage-dashboard.test.ts.)
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLRequestError, gql, waitFor } from '../harness/index.ts';
import { chatStatus, waitForChatStatus } from './commands/gateway-calls.ts';
import { createTeam } from './commands/org-teams.ts';
import { createOrganization } from './commands/organizations.ts';
import { signIn } from './commands/sign-in.ts';
import { type PageSession, useBrowser } from './fixtures/browser.ts';
import { type Login, startWebStack, type WebStack } from './fixtures/stack.ts';
import { KeyForm, SecretDialog } from './pages/key-form.ts';
import { OrgKeysPage } from './pages/org-keys-page.ts';
import { UsersPage } from './pages/org-users-page.ts';
import { ModulePage, ModulesPage } from './pages/platform-modules-page.ts';
import { Shell } from './pages/shell.ts';

/** Accessible names of controls that change something; a read-only page shows none of them. */
const writeVerbs =
  /^(New|Create|Add|Edit|Rename|Delete|Remove|Revoke|Rotate|Suspend|Reactivate|Enable|Disable|Change|Set|Reset|Save|Invite|Actions for)\b/i;

/** The write controls on the page now: buttons, links and menu items named by a write verb. */
async function writeControls(page: Page): Promise<string[]> {
  const named = page.locator('button, a, [role="button"], [role="menuitem"]');
  const names = await named.evaluateAll((els) =>
    els
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el) => (el.getAttribute('aria-label') ?? el.textContent ?? '').trim()),
  );
  return names.filter((n) => writeVerbs.test(n));
}

/** Waits until the page's tables (if any) have finished loading. */
async function settled(page: Page): Promise<void> {
  await page.locator('.n-data-table--loading').first().waitFor({ state: 'detached' });
  await page.locator('.n-skeleton').first().waitFor({ state: 'detached' });
}

describe('journeys', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let orgId: string;
  let admin: PageSession;

  beforeAll(async () => {
    stack = await startWebStack({ name: 'web-journeys', dataPlane: true });
    admin = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
  });

  afterAll(() => stack?.stop());

  it('a platform admin onboards an org with a module, a team, a user and a key that then works', async () => {
    const { page } = admin;
    const shell = new Shell(page);
    await signIn(page, stack.platformAdmin);

    orgId = await createOrganization(page, { name: 'Onboard Co' });

    // The product module, enabled for the new org.
    await page.goto('/platform/modules');
    const modules = new ModulesPage(page);
    await modules.waitForLoaded();
    const moduleForm = await modules.startCreate();
    await moduleForm.fill({ Key: 'chat', Name: 'Chat', Description: 'The in-app assistant.' });
    await moduleForm.submit();
    await page.waitForURL(/\/platform\/modules\/[^/]+$/);
    const modulePage = new ModulePage(page);
    await modulePage.waitForLoaded('Chat');
    const enable = await modulePage.startEnable();
    await enable.chooseOrg('Onboard Co', 'onboard');
    await enable.models('all');
    await enable.submit();
    await enable.root().waitFor({ state: 'detached' });
    await modulePage.row('onboard-co').waitFor();

    // Into the org's panel: a team, a user in it, and the user's key bound to the module.
    await page.goto(`/orgs/${orgId}/overview`);
    await shell.go('Teams');
    await createTeam(page, 'Support');

    await shell.go('Users');
    const users = new UsersPage(page);
    await users.waitForLoaded();
    await users.create({ email: 'grace@onboard.test', name: 'Grace Hopper', teams: ['Support'] });
    await users.row('grace@onboard.test').waitFor();

    await shell.go('Keys');
    const keys = new OrgKeysPage(page);
    await keys.waitForLoaded();
    const form: KeyForm = await keys.startCreate();
    await form.fill({
      owner: { user: 'Grace Hopper (grace@onboard.test)', team: 'Support' },
      name: 'support-assistant',
      module: 'Chat (chat)',
    });
    await form.submit();
    const secretDialog = new SecretDialog(page);
    await secretDialog.waitFor();
    const secret = await secretDialog.secret();
    await secretDialog.done();
    await keys.row('support-assistant').waitFor();

    // The overview counts what was just created.
    await shell.go('Overview');
    for (const [label, value] of [
      ['Teams', '1'],
      ['Users', '1'],
      ['Active keys', '1'],
      ['Modules enabled', '1'],
    ]) {
      await page.locator('.n-statistic').filter({ hasText: label }).filter({ hasText: value }).first().waitFor();
    }
    await admin.screenshot('journey-onboarded-overview');

    // The key works with the official OpenAI client, and its usage carries the whole hierarchy.
    await waitForChatStatus(stack, secret, 200, 'the data plane to accept the onboarded key');
    expect(await chatStatus(stack, secret)).toBe(200);
    const ids = await stack.api<{
      virtualKeys: { nodes: { id: string; userId: string; teamId: string; moduleId: string }[] };
    }>('query ($o: ID!) { virtualKeys(orgId: $o) { nodes { id userId teamId moduleId } } }', { o: orgId });
    const key = ids.virtualKeys.nodes[0];
    expect(key).toBeDefined();
    const rows = await waitFor(
      'usage of the onboarded key in PostgreSQL',
      async () => {
        const { rows } = await stack.db.pool.query<Record<string, string>>(
          'select org_id, team_id, user_id, key_id, module_id from usage_records where key_id = $1',
          [key?.id],
        );
        return rows.length >= 2 ? rows : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    for (const r of rows) {
      expect(r).toEqual({
        org_id: orgId,
        team_id: key?.teamId,
        user_id: key?.userId,
        key_id: key?.id,
        module_id: key?.moduleId,
      });
    }
  });

  /** Every section of the org panel, as the menu lists it, with a detail page where the section has one. */
  async function walkOrgPanel(session: PageSession, visit: (section: string) => Promise<void>): Promise<string[]> {
    const { page } = session;
    const shell = new Shell(page);
    await page.goto(`/orgs/${orgId}/overview`);
    await shell.heading().waitFor();
    const sections = await shell.menuLabels();
    for (const section of sections) {
      await shell.go(section);
      await shell.waitForHeading(section);
      await settled(page);
      await visit(section);
      // Open the first row's own page where rows link to one (teams, users, keys).
      const detail = page.locator('table a[href*="/teams/"], table a[href*="/users/"], table a[href*="/keys/"]');
      if (['Teams', 'Users', 'Keys'].includes(section) && (await detail.count()) > 0) {
        await detail.first().click();
        await page.waitForURL((u) => /\/(teams|users|keys)\/[^/]+$/.test(u.pathname));
        await shell.heading().waitFor();
        await settled(page);
        await visit(`${section} detail`);
      }
    }
    return sections;
  }

  it('an org viewer reads every page of the org panel without a single control that changes anything', async () => {
    const viewer: Login = await stack.createAdmin('ORG_VIEWER', orgId, 'viewer@onboard.test');
    const session = await browser.newSession({ label: 'org viewer', baseURL: stack.web.url });
    await signIn(session.page, viewer);
    const found: Record<string, string[]> = {};
    const sections = await walkOrgPanel(session, async (section) => {
      found[section] = await writeControls(session.page);
      await session.screenshot(`viewer-${section.toLowerCase().replace(/[^a-z]+/g, '-')}`);
    });
    expect(sections).toEqual(expect.arrayContaining(['Overview', 'Usage', 'Teams', 'Users', 'Keys', 'Audit log']));
    expect(Object.keys(found)).toEqual(expect.arrayContaining(['Teams detail', 'Users detail', 'Keys detail']));
    for (const [section, controls] of Object.entries(found)) expect(controls, section).toEqual([]);

    // The API refuses the viewer's writes as well, whatever the UI shows.
    const token = await stack.login(viewer);
    const refused = await gql(
      stack.cp.graphqlUrl,
      token,
      'mutation ($o: ID!) { createTeam(input: { orgId: $o, name: "Sneaky" }) { id } }',
      { o: orgId },
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect((refused as GraphQLRequestError).codes).toEqual(['FORBIDDEN']);
  });

  it('the same walk as an org admin finds the write controls, so the viewer check can see them', async () => {
    const orgAdmin = await stack.createAdmin('ORG_ADMIN', orgId, 'admin@onboard.test');
    const session = await browser.newSession({ label: 'org admin', baseURL: stack.web.url });
    await signIn(session.page, orgAdmin);
    const found: Record<string, string[]> = {};
    await walkOrgPanel(session, async (section) => {
      found[section] = await writeControls(session.page);
    });
    for (const section of ['Teams', 'Users', 'Keys', 'Teams detail', 'Users detail', 'Keys detail']) {
      expect(found[section]?.length, section).toBeGreaterThan(0);
    }
  });
});
