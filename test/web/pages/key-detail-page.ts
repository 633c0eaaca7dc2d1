// Org › Keys › one key: its details and lifecycle, and the edit, rotate and revoke actions.
import type { Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { KeyForm } from './key-form.ts';

export type GraceLabel = 'No grace: the old secret stops now' | '1 hour' | '1 day' | '7 days';

export class KeyDetailPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId: string, keyId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/keys/${keyId}`);
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await this.page.getByTestId('key-details').waitFor();
  }

  /** The key's id, from the URL. */
  id(): string {
    const id = new URL(this.page.url()).pathname.split('/')[4];
    if (!id) throw new Error(`no key id in ${this.page.url()}`);
    return id;
  }

  text(what: 'prefix' | 'alias' | 'owner' | 'previous' | 'metadata' | 'status') {
    return this.page.getByTestId(`key-${what}`);
  }

  editButton() {
    return this.page.getByTestId('key-edit');
  }

  rotateButton() {
    return this.page.getByTestId('key-rotate');
  }

  revokeButton() {
    return this.page.getByTestId('key-revoke');
  }

  async edit(): Promise<KeyForm> {
    await this.editButton().click();
    const form = new KeyForm(this.page);
    await form.root().waitFor();
    return form;
  }

  rotateForm() {
    return this.page.getByTestId('rotate-form');
  }

  /** Opens the rotate dialog, picks the grace period and confirms; the new secret's dialog opens next. */
  async rotate(grace: GraceLabel): Promise<void> {
    await this.rotateButton().click();
    await this.rotateForm().waitFor();
    await this.rotateForm()
      .locator('label')
      .filter({ has: this.page.getByRole('radio', { name: grace, exact: true }) })
      .click();
    await this.rotateForm().getByTestId('rotate-submit').click();
  }

  async revoke(): Promise<ConfirmDialog> {
    await this.revokeButton().click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }
}
