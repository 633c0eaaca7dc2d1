// Creates teams and users inside the open organization through its forms.
import type { Page } from 'playwright-core';
import { OrganizationPage } from '../pages/organization-page.ts';

export async function createTeam(page: Page, name: string): Promise<void> {
  const org = new OrganizationPage(page);
  await org.openSection('Teams');
  await page.getByRole('link', { name: 'New team' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Name').press('Enter');
  await org.row('Teams', name).waitFor();
}

export async function createUser(page: Page, user: { email: string; name?: string; teams: string[] }): Promise<void> {
  const org = new OrganizationPage(page);
  await org.openSection('Users');
  await page.getByRole('link', { name: 'New user' }).click();
  await page.getByLabel('Email').fill(user.email);
  if (user.name) await page.getByLabel('Name').fill(user.name);
  for (const team of user.teams)
    await page
      .getByRole('group', { name: /^Teams/ })
      .getByLabel(team)
      .check();
  await page.getByRole('button', { name: 'Create user' }).click();
  await org.row('Users', user.email).waitFor();
}
