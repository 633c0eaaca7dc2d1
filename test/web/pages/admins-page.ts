// Admins (AdminsTable.vue), in the platform panel (/platform/admins) and in an org's panel (/orgs/:id/admins): the
// list with its filters and row actions, and the admin dialog.
import type { Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { choose, chooseRadio, field, input } from './widgets.ts';

export type RoleLabel = 'Platform admin' | 'Org admin' | 'Org viewer';

export interface NewAdmin {
  email: string;
  name?: string;
  role: RoleLabel;
  /** The org's name, for an org role created in the platform panel. */
  org?: string;
  password: string;
}

export class AdminsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  /** The platform list, or with an org id that org's Admins page. */
  async open(orgId?: string): Promise<void> {
    await this.page.goto(orgId ? `/orgs/${orgId}/admins` : '/platform/admins');
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Admins' }).waitFor();
    await this.rows().first().waitFor();
  }

  rows() {
    return this.page.getByTestId('admin-row');
  }

  row(email: string) {
    return this.page.locator(`[data-test="admin-row"][data-name="${email}"]`);
  }

  newButton() {
    return this.page.getByTestId('new-admin');
  }

  form() {
    return this.page.getByTestId('admin-form');
  }

  async create(admin: NewAdmin): Promise<void> {
    await this.newButton().click();
    await this.form().waitFor();
    await input(this.form(), 'Email').fill(admin.email);
    if (admin.name) await input(this.form(), 'Name').fill(admin.name);
    await this.chooseRole(admin.role);
    if (admin.org) await choose(this.page, field(this.form(), 'Organization'), admin.org);
    await input(this.form(), 'Initial password').fill(admin.password);
    // Enter submits the form from the keyboard.
    await input(this.form(), 'Initial password').press('Enter');
    await this.form().waitFor({ state: 'hidden' });
  }

  /** Opens a row's edit dialog, changes what is given, and saves with Enter. */
  async edit(email: string, changes: { name?: string; role?: RoleLabel; password?: string }): Promise<void> {
    await this.row(email).getByRole('button', { name: 'Edit', exact: true }).click();
    await this.form().waitFor();
    if (changes.role) await this.chooseRole(changes.role);
    if (changes.password !== undefined) await input(this.form(), 'New password').fill(changes.password);
    if (changes.name !== undefined) await input(this.form(), 'Name').fill(changes.name);
    await input(this.form(), 'Name').press('Enter');
    await this.form().waitFor({ state: 'hidden' });
  }

  async showDisabled(): Promise<void> {
    await this.page.getByTestId('show-disabled').click();
  }

  /** The role radios of the open dialog (hidden inputs styled by Naive: attached, not visible). */
  roleRadio(role: RoleLabel) {
    return this.form().getByRole('radio', { name: role, exact: true });
  }

  async chooseRole(role: RoleLabel): Promise<void> {
    await chooseRadio(this.form(), role);
  }

  /** The buttons of a row's Actions cell ("Edit", "Disable", "Delete"…); none for a read-only admin. */
  actionButtons(email: string) {
    return this.row(email).getByRole('button');
  }

  async rowAction(email: string, action: 'Disable' | 'Enable' | 'Delete'): Promise<ConfirmDialog> {
    await this.row(email).getByRole('button', { name: action, exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }
}
