// Platform › Organizations: the list with its filters and row actions, and the new-organization dialog.
import type { Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { field, input } from './widgets.ts';

export class OrganizationsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/platform/organizations');
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
    await this.page.getByTestId('new-org').waitFor();
  }

  /** The row of an organization, found by its name link. */
  row(name: string) {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  async openOrg(name: string): Promise<void> {
    await this.row(name).getByRole('link', { name, exact: true }).click();
  }

  search() {
    return this.page.getByRole('textbox', { name: 'Search organizations' });
  }

  createForm() {
    return this.page.getByTestId('create-org-form');
  }

  createField(label: 'Name' | 'Slug') {
    return field(this.createForm(), label);
  }

  async startCreate(): Promise<void> {
    await this.page.getByTestId('new-org').click();
    await this.createForm().waitFor();
  }

  /** Fills the dialog and submits it with Enter (the caller checks where that leads). */
  async submitCreate(org: { name: string; slug?: string }): Promise<void> {
    await input(this.createForm(), 'Name').fill(org.name);
    if (org.slug !== undefined) await input(this.createForm(), 'Slug').fill(org.slug);
    await input(this.createForm(), 'Name').press('Enter');
  }

  /** Clicks a row action ("Suspend", "Reactivate", "Delete") and returns its confirmation dialog. */
  async rowAction(name: string, action: 'Suspend' | 'Reactivate' | 'Delete'): Promise<ConfirmDialog> {
    await this.row(name).getByRole('button', { name: action, exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }

  status(name: string) {
    return this.row(name).getByText(/^(Active|Suspended)$/);
  }
}
