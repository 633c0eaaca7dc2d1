// Org › Teams › one team: its details and lifecycle buttons, its members (add through a user picker, remove), and
// the keys owned by or attributed to it.
import type { Locator, Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { TeamForm } from './org-teams-page.ts';
import { choose, field, isInvalid } from './widgets.ts';

export class TeamPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId: string, teamId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/teams/${teamId}`);
  }

  /** Waits for the team's name as the page title and its members list. */
  async waitForLoaded(name: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
    await this.page.getByRole('heading', { level: 2, name: 'Members' }).waitFor();
    await this.page.locator('.n-data-table--loading').first().waitFor({ state: 'detached' });
  }

  teamId(): string {
    const id = new URL(this.page.url()).pathname.split('/')[4];
    if (!id) throw new Error(`no team id in ${this.page.url()}`);
    return id;
  }

  status(): Locator {
    return this.page.getByTestId('team-status');
  }

  memberCount(): Locator {
    return this.page.getByTestId('team-member-count');
  }

  button(name: 'Rename' | 'Suspend' | 'Reactivate' | 'Delete' | 'Add member'): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  /** Every button of the page body (header actions, add member, row actions); the pagers aside. */
  writeButtons(): Locator {
    return this.page.locator('button[data-test^="team-"], [data-test="add-member"], [data-test="member-remove"]');
  }

  memberRows(): Locator {
    return this.page.getByTestId('member-row');
  }

  /** The members section: its table and its pager. */
  members(): Locator {
    return this.page.locator('section[aria-labelledby="team-members"]');
  }

  /** The members pager's "1–10 of 12". */
  membersRange(): Locator {
    return this.members().getByText(/^\d+–\d+ of \d+$/);
  }

  async membersPage(direction: 'Next' | 'Previous'): Promise<void> {
    await this.members().getByRole('button', { name: direction, exact: true }).click();
  }

  member(email: string): Locator {
    return this.page.locator(`[data-test="member-row"][data-email="${email}"]`);
  }

  async memberEmails(): Promise<string[]> {
    return this.memberRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-email') ?? ''));
  }

  keyRows(): Locator {
    return this.page.getByTestId('key-row');
  }

  async keyNames(): Promise<string[]> {
    return this.keyRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));
  }

  addMemberForm(): Locator {
    return this.page.getByTestId('add-member-form');
  }

  /** Opens "Add member", picks the user by the label the picker shows, submits. */
  async addMember(label: string, search: string): Promise<void> {
    await this.button('Add member').click();
    await this.addMemberForm().waitFor();
    await choose(this.page, field(this.addMemberForm(), 'User'), label, search);
    await this.addMemberForm().getByTestId('add-member-submit').click();
  }

  userInvalid(): Promise<boolean> {
    return isInvalid(this.addMemberForm(), 'User');
  }

  userMessage(): Locator {
    return field(this.addMemberForm(), 'User').locator('.n-form-item-feedback');
  }

  async removeMember(email: string): Promise<ConfirmDialog> {
    await this.member(email).getByRole('button', { name: 'Remove', exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }

  async rename(): Promise<TeamForm> {
    await this.button('Rename').click();
    const form = new TeamForm(this.page);
    await form.root().waitFor();
    return form;
  }

  async lifecycle(action: 'Suspend' | 'Reactivate' | 'Delete'): Promise<ConfirmDialog> {
    await this.button(action).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }
}
