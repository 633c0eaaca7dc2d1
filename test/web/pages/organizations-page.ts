// Platform › Organizations: the list with its filters, pager and row actions, and the organization dialog (new
// organization, edit).
import type { Locator, Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { choose, field, input, isInvalid } from './widgets.ts';

/** The dialog of a new organization or an edit (OrgDialog.vue). */
export class OrgForm {
  readonly page: Page;
  readonly testId: string;
  constructor(page: Page, testId: 'create-org-form' | 'edit-org-form' = 'create-org-form') {
    this.page = page;
    this.testId = testId;
  }

  root(): Locator {
    return this.page.getByTestId(this.testId);
  }

  input(label: 'Name' | 'Slug'): Locator {
    return input(this.root(), label);
  }

  invalid(label: 'Name' | 'Slug'): Promise<boolean> {
    return isInvalid(this.root(), label);
  }

  /** The message under a field: its error, or its hint while valid. */
  async message(label: 'Name' | 'Slug'): Promise<string> {
    return ((await field(this.root(), label).locator('.n-form-item-feedback').textContent()) ?? '').trim();
  }

  /** The id of the input with the keyboard focus ('org-name', 'org-slug'), or null. */
  focused(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.id || null);
  }

  async cancel(): Promise<void> {
    await this.page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await this.root().waitFor({ state: 'detached' });
  }
}

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
    await this.page.getByRole('table').first().waitFor();
    await this.page.locator('.n-data-table--loading').waitFor({ state: 'detached' });
  }

  rows(): Locator {
    return this.page.getByTestId('org-row');
  }

  /** The row of an organization, found by its name. */
  row(name: string): Locator {
    return this.page.locator(`[data-test="org-row"][data-name="${name}"]`);
  }

  /** The names of the listed organizations, top to bottom. */
  async names(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));
  }

  /** Opens an org's panel from its name (the link also shows the slug). */
  async openOrg(name: string): Promise<void> {
    await this.row(name).getByRole('link').first().click();
  }

  search(): Locator {
    return this.page.getByRole('textbox', { name: 'Search organizations' });
  }

  /** Types a search and waits until the list shows its result. */
  async searchFor(text: string): Promise<void> {
    await this.search().fill(text);
    await this.page.locator('.n-data-table--loading').waitFor({ state: 'detached' });
  }

  /** The pager's "1–25 of 31". */
  range(): Locator {
    return this.page.getByText(/^\d+–\d+ of \d+$/);
  }

  async turnPage(direction: 'Next' | 'Previous'): Promise<void> {
    await this.page.getByRole('button', { name: direction, exact: true }).click();
  }

  /** Picks "10 per page" etc. in the pager. */
  async pageSize(size: 10 | 25 | 50 | 100): Promise<void> {
    await choose(this.page, this.page.locator('.pager__size'), `${size} per page`);
  }

  async filterStatus(status: 'Active' | 'Suspended'): Promise<void> {
    await choose(this.page, this.page.getByTestId('org-status-filter'), status);
  }

  pageButton(direction: 'Next' | 'Previous'): Locator {
    return this.page.getByRole('button', { name: direction, exact: true });
  }

  createForm(): Locator {
    return this.page.getByTestId('create-org-form');
  }

  createField(label: 'Name' | 'Slug'): Locator {
    return field(this.createForm(), label);
  }

  form(): OrgForm {
    return new OrgForm(this.page);
  }

  async startCreate(): Promise<OrgForm> {
    await this.page.getByTestId('new-org').click();
    await this.createForm().waitFor();
    return this.form();
  }

  /** Fills the dialog and submits it with Enter (the caller checks where that leads). */
  async submitCreate(org: { name: string; slug?: string }): Promise<void> {
    await input(this.createForm(), 'Name').fill(org.name);
    if (org.slug !== undefined) await input(this.createForm(), 'Slug').fill(org.slug);
    await input(this.createForm(), 'Name').press('Enter');
  }

  async edit(name: string): Promise<OrgForm> {
    await this.row(name).getByRole('button', { name: 'Edit', exact: true }).click();
    const form = new OrgForm(this.page, 'edit-org-form');
    await form.root().waitFor();
    return form;
  }

  /** Clicks a row action ("Suspend", "Reactivate", "Delete") and returns its confirmation dialog. */
  async rowAction(name: string, action: 'Suspend' | 'Reactivate' | 'Delete'): Promise<ConfirmDialog> {
    await this.row(name).getByRole('button', { name: action, exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }

  status(name: string): Locator {
    return this.row(name).getByText(/^(Active|Suspended)$/);
  }

  /** A number column of an org's row. */
  async count(name: string, column: 'Users' | 'Active keys'): Promise<number> {
    return Number(
      await this.row(name)
        .locator('td')
        .nth(column === 'Users' ? 2 : 3)
        .textContent(),
    );
  }
}
