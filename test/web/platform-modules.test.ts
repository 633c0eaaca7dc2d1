// Issue 4, platform › modules: the catalogue (create with field errors, edit, search, filter, pages, suspend,
// reactivate, delete behind confirmations) and one module's page (enable for an org restricted to a model, change
// the restriction, disable), each change checked against the API.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModule } from '../harness/index.ts';
import { signIn } from './commands/sign-in.ts';
import { tablet, useBrowser } from './fixtures/browser.ts';
import { startWebStack, type WebStack } from './fixtures/stack.ts';
import { ModulePage, ModulesPage } from './pages/platform-modules-page.ts';
import { Shell } from './pages/shell.ts';
import { closeMenus, openSelectMenu } from './pages/widgets.ts';

interface ApiModule {
  id: string;
  key: string;
  name: string;
  description: string | null;
  status: string;
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe('platform: modules', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let umbrella: string;

  const modules = async (): Promise<ApiModule[]> =>
    (
      await stack.api<{ modules: { nodes: ApiModule[] } }>(
        '{ modules(first: 100) { nodes { id key name description status } } }',
      )
    ).modules.nodes;
  const moduleKeyed = async (key: string) => (await modules()).find((m) => m.key === key);
  const enablements = async (orgId: string) =>
    (
      await stack.api<{
        organization: { modules: { nodes: { allowedModels: string[] | null; module: { key: string } }[] } };
      }>('query ($o: ID!) { organization(id: $o) { modules { nodes { allowedModels module { key } } } } }', {
        o: orgId,
      })
    ).organization.modules.nodes;

  beforeAll(async () => {
    stack = await startWebStack({
      name: 'platform-modules',
      models: [
        { name: 'gpt-fixture', upstreamModel: 'fixture-model' },
        { name: 'gpt-large', upstreamModel: 'fixture-model' },
        { name: 'gpt-secret', upstreamModel: 'fixture-model' },
      ],
    });
    const org = async (name: string, slug: string) =>
      (
        await stack.api<{ createOrganization: { id: string } }>(
          'mutation ($n: String!, $s: String!) { createOrganization(input: { name: $n, slug: $s }) { id } }',
          { n: name, s: slug },
        )
      ).createOrganization.id;
    umbrella = await org('Umbrella', 'umbrella');
    // Umbrella may use two of the three models: the enable dialog offers only those.
    await stack.api('mutation ($i: SetOrgModelAccessInput!) { setOrgModelAccess(input: $i) { allModels } }', {
      i: { orgId: umbrella, allModels: false, modelNames: ['gpt-fixture', 'gpt-large'] },
    });
    await org('Cyberdyne', 'cyberdyne');
  });

  afterAll(() => stack?.stop());

  it('creates a module: client rules first, the server’s key conflict under the key field', async () => {
    await createModule(stack.api, { key: 'chat', name: 'Chat' });
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    let creates = 0;
    page.on('request', (r) => {
      if ((r.postData() ?? '').includes('mutation PlatformCreateModule')) creates += 1;
    });
    await signIn(page, stack.platformAdmin);
    await new Shell(page).go('Modules');
    const list = new ModulesPage(page);
    await list.waitForLoaded();
    expect(await list.keys()).toEqual(['chat']);

    const form = await list.startCreate();
    await expect.poll(() => form.focused()).toBe('module-key');
    await form.submit();
    await expect.poll(() => form.invalid('Key')).toBe(true);
    await expect.poll(() => form.message('Key')).toBe('Key is required.');
    await expect.poll(() => form.message('Name')).toBe('Name is required.');
    expect(await form.focused()).toBe('module-key');
    await form.fill({ Key: 'Document Analysis', Name: 'x'.repeat(201), Description: 'd'.repeat(2001) });
    await form.submit();
    await expect.poll(() => form.message('Key')).toMatch(/^Use 1-63 lowercase letters, digits and hyphens/);
    await expect.poll(() => form.message('Name')).toBe('Name must be at most 200 characters.');
    await expect.poll(() => form.message('Description')).toBe('Description must be at most 2000 characters.');
    expect(creates).toBe(0);

    // The key is taken: the server says so under the key field.
    await form.fill({ Key: 'chat', Name: 'Document analysis', Description: 'Reads contracts and invoices.' });
    await form.submit();
    await expect.poll(() => form.message('Key')).toBe('A module with key "chat" already exists');
    await expect.poll(() => form.focused()).toBe('module-key');
    expect(await form.invalid('Name')).toBe(false);
    expect(creates).toBe(1);

    await form.fill({ Key: 'document-analysis' });
    await form.input('Key').press('Enter');
    const detail = new ModulePage(page);
    await page.waitForURL(/\/platform\/modules\/[^/]+$/);
    await detail.waitForLoaded('Document analysis');
    expect(await detail.key().textContent()).toBe('document-analysis');
    const created = await moduleKeyed('document-analysis');
    expect(created).toMatchObject({
      name: 'Document analysis',
      description: 'Reads contracts and invoices.',
      status: 'ACTIVE',
    });
    expect(detail.moduleId()).toBe(created?.id);
    // A module's page keeps "Modules" highlighted in the menu.
    expect(await new Shell(page).activeItem()).toBe('Modules');
    expect(await page.getByText('Not enabled for any organization yet.').isVisible()).toBe(true);
    await session.close();
  });

  it('enables a module for an org restricted to a model, changes the restriction, disables it', async () => {
    const id = await createModule(stack.api, { key: 'search', name: 'Search' });
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const detail = new ModulePage(page);
    await detail.open(id);
    await detail.waitForLoaded('Search');

    // Enable for Umbrella, held to one model; the model picker offers only the models Umbrella may use.
    let form = await detail.startEnable();
    await form.submit();
    await expect.poll(() => form.root().getByText('Choose an organization.').isVisible()).toBe(true);
    await form.chooseOrg('Umbrella', 'umbr');
    await form.root().getByText('Only the models I choose', { exact: true }).click();
    await form.root().getByTestId('field-allowed-models').locator('.n-base-selection').click();
    const offered = openSelectMenu(page).locator('.n-base-select-option');
    await expect.poll(async () => (await offered.allTextContents()).sort()).toEqual(['gpt-fixture', 'gpt-large']);
    await closeMenus(page);
    expect(await form.root().isVisible()).toBe(true);
    await form.models(['gpt-fixture']);
    expect(await form.chosenModels()).toEqual(['gpt-fixture']);
    await form.submit();
    await form.root().waitFor({ state: 'detached' });
    await detail.row('umbrella').waitFor();
    expect(await detail.models('umbrella')).toBe('gpt-fixture');
    expect(await enablements(umbrella)).toEqual([{ allowedModels: ['gpt-fixture'], module: { key: 'search' } }]);
    await session.screenshot('module-detail');

    // Enabling it again for the same org is refused, and said so on the form.
    form = await detail.startEnable();
    await form.chooseOrg('Umbrella', 'umbr');
    await form.submit();
    await expect.poll(() => form.error().textContent()).toContain('already enabled for the organization');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await form.root().waitFor({ state: 'detached' });

    // Change the restriction: two models, then every model.
    form = await detail.changeModels('umbrella');
    expect(await form.chosenModels()).toEqual(['gpt-fixture']);
    await form.models(['gpt-large']);
    await form.submit();
    await form.root().waitFor({ state: 'detached' });
    await expect.poll(() => detail.models('umbrella')).toBe('gpt-fixture, gpt-large');
    expect((await enablements(umbrella))[0]?.allowedModels).toEqual(['gpt-fixture', 'gpt-large']);

    form = await detail.changeModels('umbrella');
    await form.models('all');
    await form.submit();
    await form.root().waitFor({ state: 'detached' });
    await expect.poll(() => detail.models('umbrella')).toBe('Every model the organization may use');
    expect((await enablements(umbrella))[0]?.allowedModels).toBeNull();

    // Only-some with none chosen is refused before sending (the API wants a list or every model).
    form = await detail.changeModels('umbrella');
    await form.root().getByText('Only the models I choose', { exact: true }).click();
    await form.submit();
    await expect
      .poll(() => form.root().getByText('Choose at least one model, or allow every model.').isVisible())
      .toBe(true);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await form.root().waitFor({ state: 'detached' });
    expect((await enablements(umbrella))[0]?.allowedModels).toBeNull();

    // Disable: cancel keeps it, confirm removes it.
    let confirm = await detail.disable('umbrella');
    await confirm.waitFor('Disable Search for Umbrella?');
    await confirm.cancel();
    expect(await enablements(umbrella)).toHaveLength(1);
    confirm = await detail.disable('umbrella');
    expect(await confirm.root().textContent()).toContain('refused within a second');
    await confirm.confirm();
    await detail.row('umbrella').waitFor({ state: 'detached' });
    expect(await enablements(umbrella)).toEqual([]);
    await session.close();
  });

  it('edits, suspends, reactivates and deletes a module behind confirmations', async () => {
    const id = await createModule(stack.api, { key: 'summaries', name: 'Summaries', orgId: umbrella });
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const list = new ModulesPage(page);
    await list.open();

    // Edit from the list: the key is fixed, name and description change.
    let form = await list.edit('summaries');
    expect(await form.input('Key').isDisabled()).toBe(true);
    await expect.poll(() => form.focused()).toBe('module-name');
    await form.fill({ Name: '', Description: 'Short summaries of long documents.' });
    await form.submit();
    await expect.poll(() => form.message('Name')).toBe('Name is required.');
    await form.fill({ Name: 'Summaries v2' });
    await form.submit();
    await form.root().waitFor({ state: 'detached' });
    await list.row('summaries').getByText('Summaries v2').waitFor();
    expect(await moduleKeyed('summaries')).toMatchObject({
      name: 'Summaries v2',
      description: 'Short summaries of long documents.',
    });

    // Suspend from the list (cancel first), then filter by status.
    let confirm = await list.rowAction('summaries', 'Suspend');
    await confirm.waitFor('Suspend Summaries v2?');
    await confirm.cancel();
    expect((await moduleKeyed('summaries'))?.status).toBe('ACTIVE');
    confirm = await list.rowAction('summaries', 'Suspend');
    expect(await confirm.root().textContent()).toContain('in every organization');
    await confirm.confirm();
    await list.status('summaries').filter({ hasText: 'Suspended' }).waitFor();
    expect((await moduleKeyed('summaries'))?.status).toBe('SUSPENDED');
    await list.filterStatus('Suspended');
    await expect.poll(() => list.keys()).toEqual(['summaries']);

    // Reactivate and delete from the module's page.
    await list.openModule('summaries');
    const detail = new ModulePage(page);
    await detail.waitForLoaded('Summaries v2');
    expect(detail.moduleId()).toBe(id);
    expect(await detail.status().textContent()).toBe('Suspended');
    expect(await detail.orgSlugs()).toEqual(['umbrella']);
    confirm = await detail.lifecycle('Reactivate');
    await confirm.confirm();
    await expect.poll(() => detail.status().textContent()).toBe('Active');
    expect((await moduleKeyed('summaries'))?.status).toBe('ACTIVE');

    form = await detail.edit();
    await form.fill({ Description: '' });
    await form.submit();
    await form.root().waitFor({ state: 'detached' });
    await expect.poll(async () => (await moduleKeyed('summaries'))?.description).toBeNull();

    confirm = await detail.lifecycle('Delete');
    await confirm.waitFor('Delete Summaries v2?');
    expect(await confirm.root().textContent()).toContain('This cannot be undone');
    await confirm.confirm();
    await page.waitForURL('**/platform/modules');
    await list.waitForLoaded();
    expect(await moduleKeyed('summaries')).toBeUndefined();
    expect((await enablements(umbrella)).map((e) => e.module.key)).not.toContain('summaries');
    // Its page now says it is gone.
    await detail.open(id);
    await page.getByText('Module not found').waitFor();
    await session.close();
  });

  it('searches and pages through the catalogue', async () => {
    for (let i = 1; i <= 12; i++) {
      await createModule(stack.api, { key: `bulk-${String(i).padStart(2, '0')}`, name: `Bulk ${i}` });
    }
    const all = (await modules()).map((m) => m.key);
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const list = new ModulesPage(page);
    await list.open();
    await expect.poll(() => list.range().textContent()).toBe(`1–${all.length} of ${all.length}`);
    await session.screenshot('modules');
    await list.pageSize(10);
    await expect.poll(() => list.range().textContent()).toBe(`1–10 of ${all.length}`);
    await expect.poll(() => list.keys()).toEqual(all.slice(0, 10));
    await list.turnPage('Next');
    await expect.poll(() => list.range().textContent()).toBe(`11–${Math.min(20, all.length)} of ${all.length}`);
    await expect.poll(() => list.keys()).toEqual(all.slice(10, 20));
    await list.turnPage('Previous');
    await expect.poll(() => list.keys()).toEqual(all.slice(0, 10));

    await list.search().fill('BULK-1');
    await expect.poll(() => list.keys()).toEqual(['bulk-10', 'bulk-11', 'bulk-12']);
    await list.search().fill('no such module');
    await page.getByText('No module matches these filters.').waitFor();
    await session.close();
  });

  it('works at tablet width: the catalogue and a module’s page fit', async () => {
    const id = await createModule(stack.api, {
      key: 'tablet-mod',
      name: 'Tablet module',
      orgId: umbrella,
      allowedModels: ['gpt-fixture'],
    });
    const session = await browser.newSession({ label: 'tablet', baseURL: stack.web.url, viewport: tablet });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const list = new ModulesPage(page);
    await list.open();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await session.screenshot('modules');
    const detail = new ModulePage(page);
    await detail.open(id);
    await detail.waitForLoaded('Tablet module');
    expect(await detail.models('umbrella')).toBe('gpt-fixture');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await session.screenshot('module-detail');
    const form = await detail.changeModels('umbrella');
    expect(await form.root().isVisible()).toBe(true);
    await session.close();
  });
});
