// Org › Users: the list with its filters, pager and row actions, and the user dialog (email, name, teams) used to
// create and to edit a user.
import type { Locator, Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { choose, closeMenus, field, input, isInvalid, waitForListPage } from './widgets.ts';

type UserField = 'Email' | 'Name' | 'Teams';

/** The dialog of a new user or an edit (UserDialog.vue). */
export class UserForm {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root(): Locator {
    return this.page.getByTestId('user-form');
  }

  input(label: 'Email' | 'Name'): Locator {
    return input(this.root(), label);
  }

  invalid(label: UserField): Promise<boolean> {
    return isInvalid(this.root(), label);
  }

  async message(label: UserField): Promise<string> {
    return ((await field(this.root(), label).locator('.n-form-item-feedback').textContent()) ?? '').trim();
  }

  focused(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.id || null);
  }

  /** The teams chosen, as the select's tags show them. */
  async teams(): Promise<string[]> {
    return (await field(this.root(), 'Teams').locator('.n-tag').allTextContents()).map((t) => t.trim());
  }

  async addTeam(name: string): Promise<void> {
    await choose(this.page, field(this.root(), 'Teams'), name);
    await closeMenus(this.page);
  }

  async removeTeam(name: string): Promise<void> {
    await field(this.root(), 'Teams').locator('.n-tag').filter({ hasText: name }).locator('.n-tag__close').click();
  }

  error(): Locator {
    return this.root().getByRole('alert');
  }

  async submit(): Promise<void> {
    await this.root().getByTestId('user-submit').click();
  }

  async cancel(): Promise<void> {
    await this.page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await this.root().waitFor({ state: 'detached' });
  }
}

export class UsersPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/users`);
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await waitForListPage(this.page, 'Users');
  }

  form(): Locator {
    return this.page.getByTestId('user-form');
  }

  userForm(): UserForm {
    return new UserForm(this.page);
  }

  newUserButton(): Locator {
    return this.page.getByTestId('new-user');
  }

  rows(): Locator {
    return this.page.getByTestId('user-row');
  }

  row(email: string): Locator {
    return this.page.locator(`[data-test="user-row"][data-email="${email}"]`);
  }

  /** The emails of the listed users, top to bottom. */
  async emails(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-email') ?? ''));
  }

  status(email: string): Locator {
    return this.row(email).getByText(/^(Active|Suspended)$/);
  }

  /** A number column of a user's row. */
  async count(email: string, column: 'Teams' | 'Active keys'): Promise<number> {
    return Number(
      await this.row(email)
        .locator('td')
        .nth(column === 'Teams' ? 2 : 3)
        .textContent(),
    );
  }

  /** Buttons of the "Actions" column (none for viewers). */
  actionButtons(): Locator {
    return this.rows().getByRole('button');
  }

  search(): Locator {
    return this.page.getByRole('textbox', { name: 'Search users' });
  }

  async filterStatus(status: 'Active' | 'Suspended'): Promise<void> {
    await choose(this.page, this.page.getByTestId('user-status-filter'), status);
  }

  async filterTeam(team: string): Promise<void> {
    await choose(this.page, this.page.getByTestId('user-team-filter'), team);
  }

  /** Clears a filter select by its clear button. */
  async clearFilter(which: 'status' | 'team'): Promise<void> {
    const select = this.page.getByTestId(`user-${which}-filter`);
    await select.hover();
    await select.locator('.n-base-clear').click();
  }

  /** The pager's "1–25 of 31". */
  range(): Locator {
    return this.page.getByText(/^\d+–\d+ of \d+$/);
  }

  async turnPage(direction: 'Next' | 'Previous'): Promise<void> {
    await this.page.getByRole('button', { name: direction, exact: true }).click();
  }

  pageButton(direction: 'Next' | 'Previous'): Locator {
    return this.page.getByRole('button', { name: direction, exact: true });
  }

  async startCreate(): Promise<UserForm> {
    await this.newUserButton().click();
    await this.form().waitFor();
    return this.userForm();
  }

  /** New user: fills email and name, picks each team by name, submits with the button. */
  async create(user: { email: string; name?: string; teams?: string[] }): Promise<void> {
    await this.newUserButton().click();
    await this.form().waitFor();
    await input(this.form(), 'Email').fill(user.email);
    if (user.name) await input(this.form(), 'Name').fill(user.name);
    for (const team of user.teams ?? []) await choose(this.page, field(this.form(), 'Teams'), team);
    await closeMenus(this.page);
    await this.form().getByTestId('user-submit').click();
    await this.form().waitFor({ state: 'detached' });
  }

  async edit(email: string): Promise<UserForm> {
    await this.row(email).getByTestId('user-edit').click();
    await this.form().waitFor();
    return this.userForm();
  }

  async rowAction(email: string, action: 'Suspend' | 'Reactivate' | 'Delete'): Promise<ConfirmDialog> {
    await this.row(email).getByRole('button', { name: action, exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }

  async openUser(email: string): Promise<void> {
    await this.row(email).getByRole('link').first().click();
  }
}
