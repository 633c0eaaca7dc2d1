// Creates an admin through the Admins page and waits for their row.
import type { Page } from 'playwright-core';
import { AdminsPage, type NewAdmin } from '../pages/admins-page.ts';

/** From anywhere in the platform panel: opens Admins, creates the admin, returns the page object. */
export async function createAdminThroughUi(page: Page, admin: NewAdmin): Promise<AdminsPage> {
  const admins = new AdminsPage(page);
  await admins.open();
  await admins.create(admin);
  await admins.row(admin.email).waitFor();
  return admins;
}
