// Org › Keys: the keys list (search, filters, rows with their row actions) and the "New key" button.
import type { Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { KeyForm } from './key-form.ts';
import { choose } from './widgets.ts';

export type KeyFilterLabel = 'Status' | 'Owner kind' | 'Team' | 'User' | 'Module';

export class OrgKeysPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/keys`);
    await this.waitForLoaded();
  }

  /** The title is shown and the first page of keys has arrived (the table no longer shows its loading state). */
  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Keys', exact: true }).waitFor();
    await this.page.locator('.n-data-table:not(.n-data-table--loading)').waitFor();
  }

  newKeyButton() {
    return this.page.getByTestId('new-key');
  }

  async startCreate(): Promise<KeyForm> {
    await this.newKeyButton().click();
    const form = new KeyForm(this.page);
    await form.root().waitFor();
    return form;
  }

  rows() {
    return this.page.locator('[data-test="key-row"]');
  }

  row(name: string) {
    return this.page.locator(`[data-test="key-row"][data-name="${name}"]`);
  }

  /** Names of the listed keys, top to bottom. */
  async names(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));
  }

  /** Waits until exactly these keys are listed (in any order), e.g. after a filter changed. */
  async waitForNames(names: string[]): Promise<void> {
    const want = [...names].sort().join('\n');
    await this.page.waitForFunction(
      (expected) =>
        [...document.querySelectorAll('[data-test="key-row"]')]
          .map((r) => r.getAttribute('data-name') ?? '')
          .sort()
          .join('\n') === expected,
      want,
    );
  }

  /** The prefix a key's row shows, without the trailing ellipsis. */
  async prefix(name: string): Promise<string> {
    return ((await this.row(name).getByTestId('key-prefix').textContent()) ?? '').replace('…', '');
  }

  /**
   * Waits for a page of the table: `range` as the pager shows it (e.g. "11–11 of 11") and that many rows. The pager
   * moves first, the rows once the page has arrived.
   */
  async waitForPage(range: string, rows: number): Promise<void> {
    await this.page.getByText(range, { exact: true }).waitFor();
    await this.page.waitForFunction((n) => document.querySelectorAll('[data-test="key-row"]').length === n, rows);
  }

  search() {
    return this.page.getByRole('textbox', { name: 'Search keys' });
  }

  /** Picks an option of one of the filters above the table (selects labelled by aria-label). */
  async filter(label: KeyFilterLabel, option: string, search?: string): Promise<void> {
    await choose(this.page, this.page.locator(`[aria-label="${label}"]`), option, search);
  }

  async openKey(name: string): Promise<void> {
    await this.row(name).getByRole('link').first().click();
  }

  /** Opens a row's actions menu and picks "Revoke…"; returns the confirmation dialog it opens. */
  async revoke(name: string): Promise<ConfirmDialog> {
    await this.rowMenu(name, 'key-revoke');
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }

  /** Opens a row's actions menu and picks "Rotate…" (the rotate dialog opens). */
  async rotate(name: string): Promise<void> {
    await this.rowMenu(name, 'key-rotate');
    await this.page.getByTestId('rotate-form').waitFor();
  }

  private async rowMenu(name: string, option: 'key-rotate' | 'key-revoke'): Promise<void> {
    await this.row(name).getByTestId('key-actions').click();
    await this.page.locator(`.n-dropdown-menu [data-test="${option}"]`).click();
  }

  /** The rows' action menu buttons (none for viewers). */
  rowActionButtons() {
    return this.page.locator('[data-test="key-row"] [data-test="key-actions"]');
  }
}
