// Org › Users › one user: details, team links, the keys they own, and the edit / lifecycle buttons.
import type { Locator, Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { UserForm } from './org-users-page.ts';

export class UserPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId: string, userId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/users/${userId}`);
  }

  /** Waits for the user's label ("Name (email)" or the email) as the page title and the keys list. */
  async waitForLoaded(title: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
    await this.page.getByRole('heading', { level: 2, name: 'Keys' }).waitFor();
    await this.page.locator('.n-data-table--loading').first().waitFor({ state: 'detached' });
  }

  userId(): string {
    const id = new URL(this.page.url()).pathname.split('/')[4];
    if (!id) throw new Error(`no user id in ${this.page.url()}`);
    return id;
  }

  email(): Locator {
    return this.page.getByTestId('user-email');
  }

  status(): Locator {
    return this.page.getByTestId('user-status');
  }

  /** The names of the user's teams, as links. */
  async teams(): Promise<string[]> {
    return (await this.page.getByTestId('user-teams').getByRole('link').allTextContents()).map((t) => t.trim());
  }

  async keyNames(): Promise<string[]> {
    return this.page.getByTestId('key-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));
  }

  /** Edit / Suspend / Reactivate / Delete (none for viewers). */
  writeButtons(): Locator {
    return this.page.locator('button[data-test^="user-"]');
  }

  async edit(): Promise<UserForm> {
    await this.page.getByTestId('user-edit').click();
    const form = new UserForm(this.page);
    await form.root().waitFor();
    return form;
  }

  async lifecycle(action: 'Suspend' | 'Reactivate' | 'Delete'): Promise<ConfirmDialog> {
    await this.page.getByRole('button', { name: action, exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }
}
