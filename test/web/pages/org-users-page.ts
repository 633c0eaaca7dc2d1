// Org › Users: the list and the user dialog (email, name, teams), enough to create a user in some teams.
import type { Locator, Page } from 'playwright-core';
import { choose, closeMenus, field, input } from './widgets.ts';

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
    await this.page.getByRole('heading', { level: 1, name: 'Users', exact: true }).waitFor();
    await this.page.getByRole('table').first().waitFor();
    await this.page.locator('.n-data-table--loading').waitFor({ state: 'detached' });
  }

  form(): Locator {
    return this.page.getByTestId('user-form');
  }

  row(email: string): Locator {
    return this.page.locator(`[data-test="user-row"][data-email="${email}"]`);
  }

  /** New user: fills email and name, picks each team by name, submits with the button. */
  async create(user: { email: string; name?: string; teams?: string[] }): Promise<void> {
    await this.page.getByTestId('new-user').click();
    await this.form().waitFor();
    await input(this.form(), 'Email').fill(user.email);
    if (user.name) await input(this.form(), 'Name').fill(user.name);
    for (const team of user.teams ?? []) await choose(this.page, field(this.form(), 'Teams'), team);
    await closeMenus(this.page);
    await this.form().getByTestId('user-submit').click();
    await this.form().waitFor({ state: 'detached' });
  }

  async openUser(email: string): Promise<void> {
    await this.row(email).getByRole('link').first().click();
  }
}
