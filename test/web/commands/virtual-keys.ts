// Creates a virtual key (returning the secret the dialog showed once) and revokes keys, through the UI.
import type { Page } from 'playwright-core';
import { OrganizationPage } from '../pages/organization-page.ts';
import { RevokeDialog, SecretDialog } from '../pages/virtual-key-dialogs.ts';

export interface NewKey {
  name: string;
  team?: string;
  user?: string;
  models?: string[];
  /** A label of the "Expires" select, e.g. "In 30 days". */
  expires?: string;
}

/** Fills and submits the form, and leaves the secret dialog open for the caller to inspect. */
export async function submitVirtualKey(page: Page, key: NewKey): Promise<SecretDialog> {
  const org = new OrganizationPage(page);
  await org.openSection('Virtual keys');
  await page.getByRole('link', { name: 'New key' }).click();
  await page.getByLabel('Name').waitFor();
  await page.getByLabel('Name').fill(key.name);
  if (key.team) await page.getByRole('combobox', { name: /^Team/ }).selectOption({ label: key.team });
  if (key.user) await page.getByRole('combobox', { name: /^User/ }).selectOption({ label: key.user });
  for (const model of key.models ?? []) {
    await page
      .getByRole('group', { name: /^Allowed models/ })
      .getByLabel(model)
      .check();
  }
  if (key.expires) await page.getByRole('combobox', { name: /^Expires/ }).selectOption({ label: key.expires });
  await page.getByRole('button', { name: 'Create key' }).click();
  const dialog = new SecretDialog(page);
  await dialog.root().waitFor();
  return dialog;
}

export async function revokeVirtualKey(page: Page, keyName: string): Promise<RevokeDialog> {
  const org = new OrganizationPage(page);
  await org
    .row('Virtual keys', keyName)
    .getByRole('button', { name: `Revoke ${keyName}` })
    .click();
  const dialog = new RevokeDialog(page);
  await dialog.root().waitFor();
  return dialog;
}
