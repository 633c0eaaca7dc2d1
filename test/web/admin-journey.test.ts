// Browser journey through the admin UI on a real control plane: sign in, create an org, a team, a user and a key,
// see the key's secret exactly once, revoke it. Fails on any console error or warning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam, createUser } from './commands/org-members.ts';
import { createOrganization } from './commands/organizations.ts';
import { signIn } from './commands/sign-in.ts';
import { revokeVirtualKey, submitVirtualKey } from './commands/virtual-keys.ts';
import { type BrowserSession, startBrowser } from './fixtures/browser.ts';
import { webDist } from './fixtures/paths.ts';
import { type Stack, startStack } from './fixtures/stack.ts';
import { startWebServer, type WebServer } from './fixtures/web-server.ts';
import { LoginPage } from './pages/login-page.ts';
import { OrganizationPage } from './pages/organization-page.ts';
import { OrganizationsPage } from './pages/organizations-page.ts';

const run = Date.now().toString(36);
const orgName = `Acme ${run}`;
const orgSlug = `acme-${run}`;
const modelName = `web-test-model-${run}`;

describe('admin web UI', () => {
  let web: WebServer;
  let stack: Stack;
  let browser: BrowserSession;

  beforeAll(async () => {
    web = await startWebServer(webDist);
    stack = await startStack(web.url);
    web.setConfig({ graphqlUrl: stack.graphqlUrl });
    await stack.createModel(modelName);
    browser = await startBrowser(web.url);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await web?.close();
  });

  it('keeps signed-out visitors on the login page and rejects a wrong password', async () => {
    const { page } = browser;
    await page.goto('/organizations');
    await page.waitForURL(/\/login\?redirect=/);
    const login = new LoginPage(page);
    await page.getByRole('heading', { name: 'Sign in to LLM Gateway' }).waitFor();
    await browser.screenshot('01-login');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByText('Email is required.').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('email');

    await login.signIn(stack.admin.email, 'not-the-password');
    await login.errorAlert().filter({ hasText: 'The email or password is incorrect.' }).waitFor();
    await browser.screenshot('02-login-error');
  });

  it('signs in and shows the empty organization list', async () => {
    const { page } = browser;
    await signIn(page, stack.admin.email, stack.admin.password);
    await browser.screenshot('03-organizations');
  });

  it('validates the organization form before sending it', async () => {
    const { page } = browser;
    const list = new OrganizationsPage(page);
    await list.startCreate();
    await list.submit().click();
    await page.getByText('Name is required.').waitFor();
    await list.nameInput().fill(orgName);
    await list.slugInput().fill('Not A Slug');
    await list.slugInput().press('Enter');
    await page.getByText('Use lowercase letters, digits and hyphens').waitFor();
    expect(await list.slugInput().getAttribute('aria-invalid')).toBe('true');
    await browser.screenshot('04-organization-form-errors');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await list.waitForLoaded();
  });

  it('creates an organization and opens it', async () => {
    await createOrganization(browser.page, { name: orgName, slug: orgSlug });
    await browser.screenshot('05-organization-detail');
  });

  it('shows the server error next to the slug field when the slug is taken', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organizations' }).click();
    const list = new OrganizationsPage(page);
    await list.waitForLoaded();
    await list.orgLink(orgName).waitFor();
    await list.startCreate();
    await list.nameInput().fill(`${orgName} again`);
    await list.slugInput().fill(orgSlug);
    await list.submit().click();
    await expect.poll(() => list.slugInput().getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await list.slugInput().getAttribute('aria-describedby')) ?? '';
    const errorText = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent();
    expect(errorText).toMatch(/slug|exists|taken/i);
    await browser.screenshot('06-organization-server-error');

    await page.getByRole('link', { name: 'Cancel' }).click();
    await list.waitForLoaded();
    await list.orgLink(orgName).click();
    await new OrganizationPage(page).waitForOrg(orgName);
  });

  it('creates a team and a user who belongs to it', async () => {
    const { page } = browser;
    const org = new OrganizationPage(page);
    await org.openSection('Teams');
    await org.waitForSectionLoaded();
    await page.getByText('No teams yet').waitFor();
    await createTeam(page, 'Platform');
    await browser.screenshot('07-teams');

    await createUser(page, { email: `ada-${run}@example.com`, name: 'Ada Lovelace', teams: ['Platform'] });
    await org.row('Users', `ada-${run}@example.com`).getByText('Platform').waitFor();
    await browser.screenshot('08-users');
  });

  let secret = '';

  it('creates a key and shows its secret once, with a working copy button', async () => {
    const { page } = browser;
    const dialog = await submitVirtualKey(page, {
      name: 'billing-service',
      team: 'Platform',
      user: `Ada Lovelace (ada-${run}@example.com)`,
      models: [modelName],
      expires: 'In 30 days',
    });
    secret = await dialog.secretInput().inputValue();
    expect(secret).toMatch(/^sk-gw-[A-Za-z0-9]{40}$/);
    await browser.screenshot('09-key-secret');

    await dialog.copyButton().click();
    await dialog.root().getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // The dialog is persistent: Esc must not throw the only copy of the secret away.
    await page.keyboard.press('Escape');
    expect(await dialog.root().isVisible()).toBe(true);

    await dialog.doneButton().click();
    await dialog.root().waitFor({ state: 'detached' });
    const org = new OrganizationPage(page);
    const row = org.row('Virtual keys', 'billing-service');
    await row.waitFor();
    expect(await row.textContent()).toContain(secret.slice(0, 12));
    expect(await row.getByText('Active').isVisible()).toBe(true);
    expect(await row.textContent()).toContain(modelName);
    // Shown once: nowhere on the page any more.
    expect(await page.content()).not.toContain(secret);
    await browser.screenshot('10-keys');
  });

  it('revokes the key after confirmation', async () => {
    const { page } = browser;
    const dialog = await revokeVirtualKey(page, 'billing-service');
    await browser.screenshot('11-revoke-confirm');
    await dialog.cancelButton().click();
    await dialog.root().waitFor({ state: 'detached' });

    const again = await revokeVirtualKey(page, 'billing-service');
    await again.confirmButton().click();
    await again.root().waitFor({ state: 'detached' });
    const row = new OrganizationPage(page).row('Virtual keys', 'billing-service');
    await row.getByText('Revoked').waitFor();
    expect(await row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    await browser.screenshot('12-key-revoked');
  });

  it('keeps the session across a reload, never shows the secret again, and signs out', async () => {
    const { page } = browser;
    await page.reload();
    const row = new OrganizationPage(page).row('Virtual keys', 'billing-service');
    await row.getByText('Revoked').waitFor();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to LLM Gateway' }).waitFor();
    await page.goto('/organizations');
    await page.waitForURL(/\/login/);
  });

  it('sends a rejected session to the login page and back to where the admin was after signing in', async () => {
    const { page } = browser;
    await page.evaluate(() => localStorage.setItem('gw.admin.session', 'a-token-the-server-does-not-know'));
    await page.goto('/organizations');
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('redirect') === '/organizations');
    expect(await page.evaluate(() => localStorage.getItem('gw.admin.session'))).toBeNull();
    await new LoginPage(page).signIn(stack.admin.email, stack.admin.password);
    await page.waitForURL(/\/organizations$/);
    await new OrganizationsPage(page).orgLink(orgName).waitFor();
  });

  it('logged no console errors or warnings', () => {
    expect(browser.problems).toEqual([]);
  });
});
