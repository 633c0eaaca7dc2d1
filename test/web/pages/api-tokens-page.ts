// API tokens (ApiTokensTable.vue), in the platform panel (/platform/api-tokens) or the org's Admins page: the list,
// the new-token dialog, the once-only secret and the revoke confirmation.
import type { Page } from 'playwright-core';
import type { RoleLabel } from './admins-page.ts';
import { ConfirmDialog } from './confirm-dialog.ts';
import { SecretDialog } from './secret-dialog.ts';
import { choose, chooseRadio, field, input } from './widgets.ts';

export class ApiTokensPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/platform/api-tokens');
    await this.page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await this.newButton().waitFor();
  }

  row(name: string) {
    return this.page.locator(`[data-test="token-row"][data-name="${name}"]`);
  }

  newButton() {
    return this.page.getByTestId('new-token');
  }

  form() {
    return this.page.getByTestId('token-form');
  }

  /** Fills and submits the dialog; returns the dialog showing the token once. */
  async create(token: { name: string; role: RoleLabel; org?: string }): Promise<SecretDialog> {
    await this.newButton().click();
    await this.form().waitFor();
    await input(this.form(), 'Name').fill(token.name);
    await chooseRadio(this.form(), token.role);
    if (token.org) await choose(this.page, field(this.form(), 'Organization'), token.org);
    await input(this.form(), 'Name').press('Enter');
    const secret = new SecretDialog(this.page);
    await secret.waitFor();
    return secret;
  }

  async revoke(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.waitFor(`Revoke ${name}?`);
    await dialog.confirm();
  }

  async showInactive(): Promise<void> {
    await this.page.getByTestId('show-inactive').click();
  }
}
