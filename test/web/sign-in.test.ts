// Issue 4, signing in and the shell: signed-out visitors go to the login page and come back where they were going,
// wrong passwords and the server's login throttling are shown on the form, a session the API rejects ends on the
// login page, signing out ends the session on the server too, and each role gets its own panel and menu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLRequestError, gqlClient } from '../harness/index.ts';
import { signIn } from './commands/sign-in.ts';
import { laptop, tablet, useBrowser } from './fixtures/browser.ts';
import { type Login, startWebStack, type WebStack } from './fixtures/stack.ts';
import { LoginPage, sessionStorageKey } from './pages/login-page.ts';
import { OrgOverviewPage } from './pages/org-overview-page.ts';
import { OrganizationsPage } from './pages/organizations-page.ts';
import { Shell } from './pages/shell.ts';

describe('sign-in and the shell', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let acme: string;
  let globex: string;
  let orgAdmin: Login;

  beforeAll(async () => {
    stack = await startWebStack({ name: 'sign-in' });
    const org = async (name: string) =>
      (
        await stack.api<{ createOrganization: { id: string } }>(
          'mutation ($n: String!) { createOrganization(input: { name: $n }) { id } }',
          { n: name },
        )
      ).createOrganization.id;
    acme = await org('Acme Sign-in');
    globex = await org('Globex Sign-in');
    orgAdmin = await stack.createAdmin('ORG_ADMIN', acme, 'admin@acme-sign-in.test');
  });

  afterAll(() => stack?.stop());

  it('sends a signed-out visitor to the login page and back to where they were going', async () => {
    const session = await browser.newSession({ label: 'visitor', baseURL: stack.web.url });
    const { page } = session;
    const login = new LoginPage(page);
    await page.goto('/platform/modules?search=x');
    await login.waitForShown();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/platform/modules?search=x');
    expect(await page.title()).toBe('Sign in · LLM Gateway');
    await session.screenshot('login');

    await login.signIn(stack.platformAdmin.email, stack.platformAdmin.password);
    await page.waitForURL((url) => url.pathname === '/platform/modules');
    expect(new URL(page.url()).search).toBe('?search=x');
    await new Shell(page).waitForHeading('Modules');
    await session.close();
  });

  it('refuses a wrong password on the form, leaving no session', async () => {
    const session = await browser.newSession({ label: 'visitor', baseURL: stack.web.url });
    const { page } = session;
    const login = new LoginPage(page);
    await login.open();

    // Client rules first: nothing is sent while a field is empty or not an email.
    await login.password().press('Enter');
    await expect.poll(() => login.fieldMessage('Email')).toBe('Email is required.');
    expect(await login.fieldMessage('Password')).toBe('Password is required.');
    expect(await login.focusedField()).toBe('email');

    await login.attempt(stack.platformAdmin.email, 'not the password');
    expect(await login.error().textContent()).toContain('Invalid email or password.');
    // Ready for another try: the password is cleared and focused, the email kept.
    expect(await login.password().inputValue()).toBe('');
    expect(await login.focusedField()).toBe('password');
    expect(await login.email().inputValue()).toBe(stack.platformAdmin.email);
    expect(await login.storedToken()).toBeNull();
    expect(new URL(page.url()).pathname).toBe('/login');

    // The form still works after a refusal.
    await login.signIn(stack.platformAdmin.email, stack.platformAdmin.password);
    await new OrganizationsPage(page).waitForLoaded();
    expect(await login.storedToken()).not.toBeNull();
    await session.close();
  });

  it("shows the server's login throttling as a clear message with the wait", async () => {
    const target = await stack.createAdmin('PLATFORM_ADMIN', null, 'throttled@sign-in.test');
    const session = await browser.newSession({ label: 'visitor', baseURL: stack.web.url });
    const { page } = session;
    const login = new LoginPage(page);
    await login.open();
    // The control plane allows 5 failures per email in 15 minutes (login-throttle.ts); the 6th try is refused
    // before the password is even checked, so the right password is refused too.
    for (let i = 0; i < 5; i++) {
      await login.attempt(target.email, `guess ${i}`);
      expect(await login.error().textContent()).toContain('Invalid email or password.');
    }
    await login.attempt(target.email, target.password);
    // The window is 15 minutes from the first failure, a few seconds ago.
    expect((await login.error().textContent())?.trim()).toBe(
      'Too many failed sign-in attempts. Try again in 15 minutes.',
    );
    expect(await login.storedToken()).toBeNull();
    expect(new URL(page.url()).pathname).toBe('/login');

    // Another account is not affected.
    await login.signIn(stack.platformAdmin.email, stack.platformAdmin.password);
    await new OrganizationsPage(page).waitForLoaded();
    await session.close();
  });

  it('sends a session the API rejects back to the login page, then to where it was', async () => {
    const session = await browser.newSession({ label: 'stale session', baseURL: stack.web.url });
    const { page } = session;
    const login = new LoginPage(page);
    await login.open();
    await page.evaluate(([key]) => window.localStorage.setItem(key, 'gw_session_garbage'), [sessionStorageKey]);

    for (const path of [`/orgs/${acme}/overview`, '/']) {
      await page.goto(path);
      await login.waitForShown();
      expect(new URL(page.url()).searchParams.get('next')).toBe(path);
      expect(await login.storedToken()).toBeNull();
    }

    await page.goto(`/orgs/${acme}/overview`);
    await login.waitForShown();
    await login.signIn(stack.platformAdmin.email, stack.platformAdmin.password);
    await page.waitForURL((url) => url.pathname === `/orgs/${acme}/overview`);
    await new OrgOverviewPage(page).waitForLoaded();
    await session.close();
  });

  it('a session that ends while in use (signed out elsewhere) leads to the login page, then back', async () => {
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    const shell = new Shell(page);
    await signIn(page, stack.platformAdmin);
    const login = new LoginPage(page);
    const token = await login.storedToken();
    // The same session ends on the server (as a sign-out in another browser would end it).
    await gqlClient(stack.cp.graphqlUrl, token ?? '')('mutation { logout }');

    await shell.go('Modules');
    await login.waitForShown();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/platform/modules');
    expect(await login.storedToken()).toBeNull();
    await login.signIn(stack.platformAdmin.email, stack.platformAdmin.password);
    await page.waitForURL('**/platform/modules');
    await shell.waitForHeading('Modules');
    expect(await login.storedToken()).not.toBe(token);
    await session.close();
  });

  it('signing out ends the session: the API refuses the old token afterwards', async () => {
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const login = new LoginPage(page);
    const token = await login.storedToken();
    expect(token).toBeTruthy();
    const asSession = gqlClient(stack.cp.graphqlUrl, token ?? '');
    expect(await asSession<{ me: { email: string } }>('{ me { email } }')).toEqual({
      me: { email: stack.platformAdmin.email },
    });

    await new Shell(page).signOut();
    await login.waitForShown();
    expect(await login.storedToken()).toBeNull();
    expect(await asSession('{ me { email } }')).toEqual({ me: null });
    const refused = await asSession('{ organizations(first: 1) { totalCount } }').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect((refused as GraphQLRequestError).codes).toEqual(['UNAUTHENTICATED']);

    // Opening a page of the panel asks for a sign-in again.
    await page.goto('/platform/organizations');
    await login.waitForShown();
    expect(new URL(page.url()).searchParams.get('next')).toBe('/platform/organizations');
    await session.close();
  });

  it('a platform admin sees the platform menu, and the org menu inside an org', async () => {
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    const shell = new Shell(page);
    await signIn(page, stack.platformAdmin);
    await page.waitForURL('**/platform/organizations');
    expect(await shell.groups()).toEqual(['Platform']);
    const labels = await shell.menuLabels();
    expect(labels.slice(0, 1)).toEqual(['Organizations']);
    expect(labels).toContain('Modules');
    expect(labels).not.toContain('Overview');
    expect(await shell.account()).toEqual({ email: stack.platformAdmin.email, role: 'Platform admin' });
    expect(await shell.activeItem()).toBe('Organizations');

    await shell.go('Modules');
    await shell.waitForHeading('Modules');
    expect(await shell.activeItem()).toBe('Modules');

    // Inside an org both menus show; the org's entries lead into that org.
    await new OrganizationsPage(page).open();
    await new OrganizationsPage(page).openOrg('Globex Sign-in');
    await new OrgOverviewPage(page).waitForLoaded();
    expect(await shell.groups()).toEqual(['Platform', 'Organization']);
    expect(await shell.activeItem()).toBe('Overview');
    expect(await shell.menuLink('Users').getAttribute('href')).toBe(`/orgs/${globex}/users`);

    // Switching to another org from the header keeps the section.
    await shell.go('Users');
    await shell.waitForHeading('Users');
    await shell.switchOrg('Acme Sign-in', 'acme');
    await page.waitForURL(`**/orgs/${acme}/users`);
    await expect.poll(() => shell.orgName().textContent()).toBe('Acme Sign-in');
    expect(await shell.groups()).toEqual(['Platform', 'Organization']);
    await session.close();
  });

  it('an org admin lands in their org and cannot open another org or the platform panel', async () => {
    const session = await browser.newSession({ label: 'org admin', baseURL: stack.web.url });
    const { page } = session;
    const shell = new Shell(page);
    await signIn(page, orgAdmin);
    await page.waitForURL(`**/orgs/${acme}/overview`);
    expect(await shell.orgName().textContent()).toBe('Acme Sign-in');
    expect(await shell.groups()).toEqual(['Organization']);
    expect(await shell.menuLabels()).not.toContain('Organizations');
    expect(await shell.menuLabels()).toContain('Users');
    expect(await shell.account()).toEqual({ email: orgAdmin.email, role: 'Org admin' });
    expect(await shell.orgSwitcher().count()).toBe(0);

    for (const path of [`/orgs/${globex}/overview`, `/orgs/${globex}/users`, '/platform/organizations', '/platform']) {
      await page.goto(path);
      await page.waitForURL(`**/orgs/${acme}/overview`);
      await new OrgOverviewPage(page).waitForLoaded();
      expect(await shell.orgName().textContent()).toBe('Acme Sign-in');
    }
    await session.close();
  });

  it('fills and submits the login form with the keyboard alone', async () => {
    const session = await browser.newSession({ label: 'keyboard', baseURL: stack.web.url });
    const { page } = session;
    const login = new LoginPage(page);
    await login.open();
    // The email field has the focus on arrival; Enter on an empty form focuses the first invalid field.
    expect(await login.focusedField()).toBe('email');
    await page.keyboard.press('Enter');
    await expect.poll(() => login.fieldMessage('Email')).toBe('Email is required.');
    expect(await login.focusedField()).toBe('email');
    await page.keyboard.type('not-an-email');
    await page.keyboard.press('Tab');
    expect(await login.focusedField()).toBe('password');
    await page.keyboard.type('whatever');
    await page.keyboard.press('Enter');
    await expect.poll(() => login.fieldMessage('Email')).toBe('Enter an email address such as name@example.com.');
    expect(await login.focusedField()).toBe('email');

    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(stack.platformAdmin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(stack.platformAdmin.password);
    await page.keyboard.press('Enter');
    await new OrganizationsPage(page).waitForLoaded();
    await session.close();
  });

  it('at tablet width the menu is folded away and opens from the header', async () => {
    const session = await browser.newSession({ label: 'tablet', baseURL: stack.web.url, viewport: tablet });
    const { page } = session;
    const shell = new Shell(page);
    const login = new LoginPage(page);
    await login.open();
    await session.screenshot('login');
    await login.signIn(stack.platformAdmin.email, stack.platformAdmin.password);
    await new OrganizationsPage(page).waitForLoaded();

    expect(await shell.menuOpen()).toBe(false);
    expect(await shell.toggleMenu().getAttribute('aria-expanded')).toBe('false');
    expect(await shell.contentWidth()).toBeGreaterThan(tablet.width - 40);
    await shell.toggleMenu().click();
    await expect.poll(() => shell.menuOpen()).toBe(true);
    expect(await shell.toggleMenu().getAttribute('aria-expanded')).toBe('true');
    await session.screenshot('menu-open');
    // Escape, or a click beside the menu, folds it again.
    await page.keyboard.press('Escape');
    await expect.poll(() => shell.menuOpen()).toBe(false);
    await shell.toggleMenu().click();
    await expect.poll(() => shell.menuOpen()).toBe(true);
    await page.mouse.click(tablet.width - 100, tablet.height - 100);
    await expect.poll(() => shell.menuOpen()).toBe(false);
    await shell.toggleMenu().click();
    await expect.poll(() => shell.menuOpen()).toBe(true);
    // Choosing a page folds the menu again, so the page gets the whole width.
    await shell.go('Modules');
    await shell.waitForHeading('Modules');
    await expect.poll(() => shell.menuOpen()).toBe(false);
    await session.close();

    const wide = await browser.newSession({ label: 'laptop', baseURL: stack.web.url, viewport: laptop });
    await signIn(wide.page, stack.platformAdmin);
    const wideShell = new Shell(wide.page);
    expect(await wideShell.menuOpen()).toBe(true);
    await wideShell.go('Modules');
    await wideShell.waitForHeading('Modules');
    expect(await wideShell.menuOpen()).toBe(true);
    await wide.close();
  });
});
