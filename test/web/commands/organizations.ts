// Creates an organization through the UI and lands on its page.
import type { Page } from 'playwright-core';
import { OrganizationPage } from '../pages/organization-page.ts';
import { OrganizationsPage } from '../pages/organizations-page.ts';

export async function createOrganization(page: Page, org: { name: string; slug?: string }): Promise<void> {
  const list = new OrganizationsPage(page);
  await list.startCreate();
  await list.nameInput().fill(org.name);
  if (org.slug) await list.slugInput().fill(org.slug);
  await list.submit().click();
  await new OrganizationPage(page).waitForOrg(org.name);
}
