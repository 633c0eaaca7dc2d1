// Issue 4, platform › organizations and the org overview: create (client rules before sending, the server's slug
// conflict under the slug field), search, filter, page through more orgs than a page holds, edit, suspend,
// reactivate and delete behind confirmations, open an org's panel; the keyboard alone creates an org.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../harness/index.ts';
import { signIn } from './commands/sign-in.ts';
import { laptop, tablet, useBrowser } from './fixtures/browser.ts';
import { type Login, startWebStack, type WebStack } from './fixtures/stack.ts';
import { OrgOverviewPage } from './pages/org-overview-page.ts';
import { OrganizationsPage } from './pages/organizations-page.ts';
import { Shell } from './pages/shell.ts';

interface ApiOrg {
  id: string;
  name: string;
  slug: string;
  status: string;
}

/** How far the page is wider than the window (> 0: the page scrolls sideways). */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Counts the createOrganization / updateOrganization requests a page sends. */
function countMutations(page: Page, name: string): () => number {
  let n = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && (r.postData() ?? '').includes(`mutation ${name}`)) n += 1;
  });
  return () => n;
}

describe('platform: organizations and the org overview', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let hooli: ApiOrg;
  let hooliAdmin: Login;

  const orgs = async (filter: Record<string, unknown> = {}): Promise<ApiOrg[]> => {
    const all: ApiOrg[] = [];
    let after: string | null = null;
    for (;;) {
      const { organizations } = await stack.api<{
        organizations: { nodes: ApiOrg[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      }>(
        'query ($f: OrganizationFilter, $a: String) { organizations(filter: $f, first: 100, after: $a) { nodes { id name slug status } pageInfo { hasNextPage endCursor } } }',
        { f: filter, a: after },
      );
      all.push(...organizations.nodes);
      if (!organizations.pageInfo.hasNextPage) return all;
      after = organizations.pageInfo.endCursor;
    }
  };
  const orgNamed = async (name: string) => (await orgs()).find((o) => o.name === name);
  const createOrg = async (name: string, slug?: string): Promise<ApiOrg> =>
    (
      await stack.api<{ createOrganization: ApiOrg }>(
        'mutation ($i: CreateOrganizationInput!) { createOrganization(input: $i) { id name slug status } }',
        { i: { name, slug: slug ?? null } },
      )
    ).createOrganization;

  beforeAll(async () => {
    stack = await startWebStack({ name: 'platform-orgs' });
    hooli = await createOrg('Hooli', 'hooli');
    hooliAdmin = await stack.createAdmin('ORG_ADMIN', hooli.id, 'admin@hooli.test');
    // Counts for the overview: two teams, three users (one in a team), one active key and one revoked.
    const team = async (name: string) =>
      (
        await stack.api<{ createTeam: { id: string } }>(
          'mutation ($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }',
          { o: hooli.id, n: name },
        )
      ).createTeam.id;
    const research = await team('Research');
    await team('Sales');
    for (const [email, teamIds] of [
      ['gavin@hooli.test', [research]],
      ['nelson@hooli.test', []],
      ['denpok@hooli.test', []],
    ] as const) {
      await stack.api('mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { orgId: hooli.id, email, teamIds },
      });
    }
    await createKey(stack.api, { orgId: hooli.id, teamId: research, name: 'research-batch' });
    const revoked = await createKey(stack.api, { orgId: hooli.id, teamId: research, name: 'old-batch' });
    await stack.api('mutation ($id: ID!) { revokeVirtualKey(id: $id) { id } }', { id: revoked.id });
  });

  afterAll(() => stack?.stop());

  it('creates an organization: client rules first, the server’s slug conflict under the slug field', async () => {
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    const creates = countMutations(page, 'CreateOrganization');
    await signIn(page, stack.platformAdmin);
    const list = new OrganizationsPage(page);
    await list.waitForLoaded();
    expect(await list.names()).toEqual(['Hooli']);

    // Nothing is sent while the form breaks a rule the server has too.
    let form = await list.startCreate();
    await expect.poll(() => form.focused()).toBe('org-name');
    await form.input('Name').press('Enter');
    await expect.poll(() => form.invalid('Name')).toBe(true);
    await expect.poll(() => form.message('Name')).toBe('Name is required.');
    await form.input('Name').fill('x'.repeat(201));
    await form.input('Name').press('Enter');
    await expect.poll(() => form.message('Name')).toBe('Name must be at most 200 characters.');
    await form.input('Name').fill('Pied Piper');
    // The slug the server would derive is shown as the placeholder.
    expect(await form.input('Slug').getAttribute('placeholder')).toBe('pied-piper');
    await form.input('Slug').fill('Pied Piper!');
    await form.input('Slug').press('Enter');
    await expect.poll(() => form.invalid('Slug')).toBe(true);
    await expect.poll(() => form.message('Slug')).toMatch(/^Use lowercase letters, digits and hyphens/);
    expect(await form.focused()).toBe('org-slug');
    expect(await form.invalid('Name')).toBe(false);
    expect(creates()).toBe(0);

    await form.input('Slug').fill('');
    await form.input('Slug').press('Enter');
    await page.waitForURL(/\/orgs\/[^/]+\/overview$/);
    const overview = new OrgOverviewPage(page);
    await overview.waitForLoaded();
    await new Shell(page).notice('Pied Piper created').waitFor();
    const piper = await orgNamed('Pied Piper');
    expect(piper).toMatchObject({ slug: 'pied-piper', status: 'ACTIVE' });
    expect(page.url()).toContain(`/orgs/${piper?.id}/overview`);
    expect(await overview.detail('Slug')).toBe('pied-piper');
    expect(creates()).toBe(1);

    // A taken slug: the server's refusal lands under the slug field, which gets the focus.
    await list.open();
    form = await list.startCreate();
    await list.submitCreate({ name: 'Pied Piper Two', slug: 'pied-piper' });
    await expect.poll(() => form.invalid('Slug')).toBe(true);
    await expect.poll(() => form.message('Slug')).toBe('An organization with slug "pied-piper" already exists');
    await expect.poll(() => form.focused()).toBe('org-slug');
    expect(await form.invalid('Name')).toBe(false);
    expect(creates()).toBe(2);
    // Editing the field clears its message; another slug goes through.
    await form.input('Slug').fill('pied-piper-2');
    expect(await form.invalid('Slug')).toBe(false);
    await form.input('Slug').press('Enter');
    await page.waitForURL(/\/orgs\/[^/]+\/overview$/);
    expect((await orgNamed('Pied Piper Two'))?.slug).toBe('pied-piper-2');
    await session.close();
  });

  it('searches, filters by status, edits, suspends, reactivates and deletes behind confirmations', async () => {
    await createOrg('Aviato', 'aviato');
    await createOrg('Raviga Capital', 'raviga');
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const list = new OrganizationsPage(page);
    await list.waitForLoaded();

    // Search matches the name or the slug, in any case.
    await list.searchFor('AVIA');
    await expect.poll(() => list.names()).toEqual(['Aviato']);
    await list.searchFor('raviga');
    await expect.poll(() => list.names()).toEqual(['Raviga Capital']);
    await list.searchFor('nothing like this');
    await page.getByText('No organization matches these filters.').waitFor();
    await list.searchFor('');
    await expect.poll(async () => (await list.names()).length).toBeGreaterThanOrEqual(3);

    // The counts of an org's row.
    expect(await list.count('Hooli', 'Users')).toBe(3);
    expect(await list.count('Hooli', 'Active keys')).toBe(1);

    // Suspend: cancelling changes nothing; confirming stops the org.
    let confirm = await list.rowAction('Aviato', 'Suspend');
    await confirm.waitFor('Suspend Aviato?');
    await confirm.cancel();
    expect((await orgNamed('Aviato'))?.status).toBe('ACTIVE');
    confirm = await list.rowAction('Aviato', 'Suspend');
    expect(await confirm.root().textContent()).toContain('stops working on every data plane within a second');
    await confirm.confirm();
    await list.status('Aviato').filter({ hasText: 'Suspended' }).waitFor();
    expect((await orgNamed('Aviato'))?.status).toBe('SUSPENDED');

    // The status filter lists the suspended org alone; then reactivate it from there.
    await list.filterStatus('Suspended');
    await expect.poll(() => list.names()).toEqual(['Aviato']);
    await session.screenshot('organizations-suspended');
    confirm = await list.rowAction('Aviato', 'Reactivate');
    await confirm.confirm();
    await page.getByText('No organization matches these filters.').waitFor();
    expect((await orgNamed('Aviato'))?.status).toBe('ACTIVE');
    await page.reload();
    await list.waitForLoaded();

    // Edit: rename and change the slug; a slug already taken is refused under the field.
    const form = await list.edit('Raviga Capital');
    expect(await form.input('Name').inputValue()).toBe('Raviga Capital');
    expect(await form.input('Slug').inputValue()).toBe('raviga');
    await form.input('Slug').fill('hooli');
    await form.input('Slug').press('Enter');
    await expect.poll(() => form.message('Slug')).toBe('An organization with slug "hooli" already exists');
    await form.input('Name').fill('Raviga');
    await form.input('Slug').fill('raviga-capital');
    await form.input('Slug').press('Enter');
    await form.root().waitFor({ state: 'detached' });
    await list.row('Raviga').waitFor();
    expect(await orgNamed('Raviga')).toMatchObject({ slug: 'raviga-capital' });

    // Delete: cancel keeps it, confirm removes it from the list and the API.
    confirm = await list.rowAction('Raviga', 'Delete');
    await confirm.waitFor('Delete Raviga?');
    expect(await confirm.root().textContent()).toContain('This cannot be undone');
    await confirm.cancel();
    expect(await orgNamed('Raviga')).toBeDefined();
    confirm = await list.rowAction('Raviga', 'Delete');
    await confirm.confirm();
    await list.row('Raviga').waitFor({ state: 'detached' });
    expect(await orgNamed('Raviga')).toBeUndefined();

    // Open an org's panel from its name.
    await list.openOrg('Hooli');
    await page.waitForURL(`**/orgs/${hooli.id}/overview`);
    await new OrgOverviewPage(page).waitForLoaded();
    expect(await new Shell(page).orgName().textContent()).toBe('Hooli');
    await session.close();
  });

  it('pages through more organizations than a page holds', async () => {
    const existing = (await orgs()).length;
    for (let i = 1; i <= 48; i++) await createOrg(`Paged Org ${String(i).padStart(2, '0')}`);
    const all = (await orgs()).map((o) => o.name);
    const total = existing + 48;
    expect(all).toHaveLength(total);

    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const list = new OrganizationsPage(page);
    await list.waitForLoaded();
    expect(await list.range().textContent()).toBe(`1–25 of ${total}`);
    expect(await list.pageButton('Previous').isDisabled()).toBe(true);
    await session.screenshot('organizations');

    // Walking forward shows every org once, in the API's order.
    const seen: string[] = [...(await list.names())];
    let from = 1;
    while (await list.pageButton('Next').isEnabled()) {
      await list.turnPage('Next');
      from += 25;
      await expect.poll(() => list.range().textContent()).toBe(`${from}–${Math.min(from + 24, total)} of ${total}`);
      await expect.poll(() => list.names()).toEqual(all.slice(from - 1, from + 24));
      seen.push(...(await list.names()));
    }
    expect(seen).toEqual(all);

    // And back again.
    await list.turnPage('Previous');
    await expect.poll(() => list.range().textContent()).toBe(`${from - 25}–${from - 1} of ${total}`);
    await expect.poll(() => list.names()).toEqual(all.slice(from - 26, from - 1));

    // A smaller page size starts again from the first page.
    await list.pageSize(10);
    await expect.poll(() => list.range().textContent()).toBe(`1–10 of ${total}`);
    await expect.poll(() => list.names()).toEqual(all.slice(0, 10));
    await list.turnPage('Next');
    await expect.poll(() => list.range().textContent()).toBe(`11–20 of ${total}`);
    await expect.poll(() => list.names()).toEqual(all.slice(10, 20));

    // A search narrows the pages too.
    await list.searchFor('Paged Org 1');
    await expect.poll(() => list.range().textContent()).toBe('1–10 of 10');
    expect(await list.pageButton('Next').isDisabled()).toBe(true);
    await session.close();
  });

  it('creates an organization with the keyboard alone; focus lands on the first invalid field', async () => {
    const session = await browser.newSession({ label: 'keyboard', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const list = new OrganizationsPage(page);
    await list.waitForLoaded();
    await page.getByTestId('new-org').focus();
    await page.keyboard.press('Enter');
    const form = list.form();
    await form.root().waitFor();
    await expect.poll(() => form.focused()).toBe('org-name');

    // Enter on the empty form: the name is required and keeps the focus.
    await page.keyboard.press('Enter');
    await expect.poll(() => form.invalid('Name')).toBe(true);
    expect(await form.focused()).toBe('org-name');
    await page.keyboard.type('Keyboard Corp');
    await page.keyboard.press('Tab');
    expect(await form.focused()).toBe('org-slug');
    await page.keyboard.type('Keyboard Corp');
    await page.keyboard.press('Enter');
    await expect.poll(() => form.invalid('Slug')).toBe(true);
    expect(await form.focused()).toBe('org-slug');

    // Shift+Tab back to the name, then forward again: both fields are in the tab order, labels tied to them.
    await page.keyboard.press('Shift+Tab');
    expect(await form.focused()).toBe('org-name');
    expect(await page.locator('label[for="org-name"]').textContent()).toContain('Name');
    expect(await page.locator('label[for="org-slug"]').textContent()).toContain('Slug');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('keyboard-corp');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/orgs\/[^/]+\/overview$/);
    expect(await orgNamed('Keyboard Corp')).toMatchObject({ slug: 'keyboard-corp' });

    // Escape closes the dialog without creating anything.
    await list.open();
    await page.getByTestId('new-org').focus();
    await page.keyboard.press('Enter');
    await form.root().waitFor();
    await page.keyboard.type('Never Created');
    await page.keyboard.press('Escape');
    await form.root().waitFor({ state: 'detached' });
    expect(await orgNamed('Never Created')).toBeUndefined();
    await session.close();
  });

  it('the org overview: counts and details for everyone, lifecycle for platform admins only', async () => {
    for (const viewport of [laptop, tablet]) {
      const session = await browser.newSession({
        label: `org admin ${viewport.width}`,
        baseURL: stack.web.url,
        viewport,
      });
      const { page } = session;
      await signIn(page, hooliAdmin);
      await page.waitForURL(`**/orgs/${hooli.id}/overview`);
      const overview = new OrgOverviewPage(page);
      await overview.waitForLoaded();
      expect(await overview.stat('Teams')).toBe(2);
      expect(await overview.stat('Users')).toBe(3);
      expect(await overview.stat('Active keys')).toBe(1);
      expect(await overview.stat('Modules enabled')).toBe(0);
      expect(await overview.detail('Name')).toBe('Hooli');
      expect(await overview.detail('Slug')).toBe('hooli');
      expect(await overview.detail('Status')).toBe('Active');
      expect(await overview.lifecycleButtons().count()).toBe(0);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await session.screenshot('org-overview');
      // A count leads to its section.
      await page.getByRole('link', { name: 'View users' }).click();
      await new Shell(page).waitForHeading('Users');
      await session.close();
    }

    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const overview = new OrgOverviewPage(page);
    const temp = await createOrg('Endframe', 'endframe');
    await overview.open(temp.id);
    expect(await overview.lifecycleButtons().count()).toBe(3);

    const form = await overview.edit();
    await form.input('Name').fill('Endframe Inc');
    await form.input('Name').press('Enter');
    await form.root().waitFor({ state: 'detached' });
    await expect.poll(() => new Shell(page).orgName().textContent()).toBe('Endframe Inc');
    expect(await overview.detail('Name')).toBe('Endframe Inc');

    let confirm = await overview.lifecycle('Suspend');
    await confirm.waitFor('Suspend Endframe Inc?');
    await confirm.confirm();
    await expect.poll(() => overview.detail('Status')).toBe('Suspended');
    expect((await orgNamed('Endframe Inc'))?.status).toBe('SUSPENDED');
    confirm = await overview.lifecycle('Reactivate');
    await confirm.confirm();
    await expect.poll(() => overview.detail('Status')).toBe('Active');

    confirm = await overview.lifecycle('Delete');
    await confirm.confirm();
    await page.waitForURL('**/platform/organizations');
    await new OrganizationsPage(page).waitForLoaded();
    expect(await orgNamed('Endframe Inc')).toBeUndefined();
    await session.close();
  });

  it('works at tablet width: the list fits, its actions reachable', async () => {
    const session = await browser.newSession({ label: 'tablet', baseURL: stack.web.url, viewport: tablet });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const list = new OrganizationsPage(page);
    await list.waitForLoaded();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await session.screenshot('organizations');
    // The table scrolls inside itself; the actions of a row can be reached and used.
    const suspend = list.row('Hooli').getByRole('button', { name: 'Suspend', exact: true });
    await suspend.scrollIntoViewIfNeeded();
    expect(await suspend.isVisible()).toBe(true);
    const form = await list.startCreate();
    expect(await form.root().isVisible()).toBe(true);
    await form.cancel();
    await session.close();
  });
});
