// Signs in through the login page and waits for the organizations list.
import type { Page } from 'playwright-core';
import { LoginPage } from '../pages/login-page.ts';
import { OrganizationsPage } from '../pages/organizations-page.ts';

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  const login = new LoginPage(page);
  await login.open();
  await login.signIn(email, password);
  await new OrganizationsPage(page).waitForLoaded();
}
