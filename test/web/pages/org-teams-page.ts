// Org › Teams: the list with its filters, counts and row actions, and the team dialog (new team, rename).
import type { Locator, Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { field, input, isInvalid, waitForListPage } from './widgets.ts';

/** The dialog of a new team or a rename (TeamDialog.vue). */
export class TeamForm {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root(): Locator {
    return this.page.getByTestId('team-form');
  }

  name(): Locator {
    return input(this.root(), 'Name');
  }

  /** The Name field's message (an error, or the hint while valid). */
  nameMessage(): Locator {
    return field(this.root(), 'Name').locator('.n-form-item-feedback');
  }

  nameInvalid(): Promise<boolean> {
    return isInvalid(this.root(), 'Name');
  }

  /** Types the name and submits with Enter (the caller checks where that leads). */
  async submit(name: string): Promise<void> {
    await this.name().fill(name);
    await this.name().press('Enter');
  }

  /** True while the name input has the keyboard focus (e.g. after a server error moved it there). */
  nameFocused(): Promise<boolean> {
    return this.name().evaluate((el) => el === document.activeElement);
  }

  async cancel(): Promise<void> {
    await this.page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await this.root().waitFor({ state: 'detached' });
  }
}

export class TeamsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/teams`);
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await waitForListPage(this.page, 'Teams');
  }

  newTeamButton(): Locator {
    return this.page.getByTestId('new-team');
  }

  form(): TeamForm {
    return new TeamForm(this.page);
  }

  async startCreate(): Promise<TeamForm> {
    await this.newTeamButton().click();
    await this.form().root().waitFor();
    return this.form();
  }

  rows(): Locator {
    return this.page.getByTestId('team-row');
  }

  row(name: string): Locator {
    return this.page.locator(`[data-test="team-row"][data-name="${name}"]`);
  }

  async names(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));
  }

  /** A number column of a team's row ("Members", "Active keys"). */
  async count(name: string, column: 'Members' | 'Active keys'): Promise<number> {
    const index = column === 'Members' ? 2 : 3;
    return Number(await this.row(name).locator('td').nth(index).textContent());
  }

  status(name: string): Locator {
    return this.row(name).getByText(/^(Active|Suspended)$/);
  }

  search(): Locator {
    return this.page.getByRole('textbox', { name: 'Search teams' });
  }

  async openTeam(name: string): Promise<void> {
    await this.row(name).getByRole('link', { name, exact: true }).click();
  }

  /** Buttons of the "Actions" column (none for viewers). */
  actionButtons(): Locator {
    return this.rows().getByRole('button');
  }

  /** Clicks "Suspend", "Reactivate" or "Delete" in a row and returns its confirmation. */
  async rowAction(name: string, action: 'Suspend' | 'Reactivate' | 'Delete'): Promise<ConfirmDialog> {
    await this.row(name).getByRole('button', { name: action, exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }

  async rename(name: string): Promise<TeamForm> {
    await this.row(name).getByRole('button', { name: 'Rename', exact: true }).click();
    await this.form().root().waitFor();
    return this.form();
  }
}
