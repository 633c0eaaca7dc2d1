// Platform › Providers: the credential list with its rows and actions, the create / edit dialog, the rotation
// dialog, and the notice that keeps the outcome of a delete or rotation on the page.
import type { Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { field, input } from './widgets.ts';

export interface CredentialInput {
  name: string;
  baseUrl: string;
  apiKey: string;
}

export class ProvidersPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/platform/providers');
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Providers' }).waitFor();
    await this.page.getByTestId('new-credential').waitFor();
  }

  row(name: string) {
    return this.page.locator(`[data-test="credential-row"][data-name="${name}"]`);
  }

  /** The masked key shown in a credential's row, e.g. `sk-...abcd`. */
  async hint(name: string): Promise<string> {
    return ((await this.row(name).getByTestId('credential-hint').textContent()) ?? '').trim();
  }

  /** "In use" or "Unused". */
  status(name: string) {
    return this.row(name).getByText(/^(In use|Unused)$/);
  }

  form() {
    return this.page.getByTestId('credential-form');
  }

  formField(label: 'Name' | 'Base URL' | 'API key') {
    return field(this.form(), label);
  }

  async startCreate(): Promise<void> {
    await this.page.getByTestId('new-credential').click();
    await this.form().waitFor();
  }

  /** Fills the dialog and submits it with Enter; the caller checks where that leads. */
  async submitCreate(c: CredentialInput): Promise<void> {
    await input(this.form(), 'Name').fill(c.name);
    await input(this.form(), 'Base URL').fill(c.baseUrl);
    await input(this.form(), 'API key').fill(c.apiKey);
    await input(this.form(), 'API key').press('Enter');
  }

  async startEdit(name: string): Promise<void> {
    await this.row(name).getByTestId('edit-credential').click();
    await this.form().waitFor();
  }

  rotateForm() {
    return this.page.getByTestId('rotate-form');
  }

  async rotate(name: string, apiKey: string): Promise<void> {
    await this.row(name).getByTestId('rotate-credential').click();
    await this.rotateForm().waitFor();
    await input(this.rotateForm(), 'New API key').fill(apiKey);
    await input(this.rotateForm(), 'New API key').press('Enter');
  }

  async startDelete(name: string): Promise<ConfirmDialog> {
    await this.row(name).getByTestId('delete-credential').click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }

  /** The outcome of the last delete or rotation (an alert kept until dismissed). */
  notice() {
    return this.page.getByTestId('credential-notice');
  }
}
