// Signs in through the login page and waits for the panel the admin lands in.
import type { Page } from 'playwright-core';
import type { Login } from '../fixtures/stack.ts';
import { LoginPage } from '../pages/login-page.ts';
import { Shell } from '../pages/shell.ts';

/** From anywhere: opens /login, signs in, waits until a page of the panel shows its title. */
export async function signIn(page: Page, who: Login): Promise<void> {
  const login = new LoginPage(page);
  await login.open();
  await login.signIn(who.email, who.password);
  await page.waitForURL((url) => url.pathname !== '/login');
  await new Shell(page).heading().waitFor();
}
