// Creates an organization through the platform's Organizations page and lands on its overview.
import type { Page } from 'playwright-core';
import { OrgOverviewPage } from '../pages/org-overview-page.ts';
import { OrganizationsPage } from '../pages/organizations-page.ts';
import { Shell } from '../pages/shell.ts';

/** Returns the new organization's id (from the URL it lands on). */
export async function createOrganization(page: Page, org: { name: string; slug?: string }): Promise<string> {
  const list = new OrganizationsPage(page);
  if (!page.url().endsWith('/platform/organizations')) {
    await new Shell(page).go('Organizations');
    await list.waitForLoaded();
  }
  await list.startCreate();
  await list.submitCreate(org);
  await page.waitForURL(/\/orgs\/[^/]+\/overview$/);
  await new OrgOverviewPage(page).waitForLoaded();
  const orgId = new URL(page.url()).pathname.split('/')[2];
  if (!orgId) throw new Error(`no org id in ${page.url()}`);
  return orgId;
}
