// Platform › Modules: the catalogue (list, filters, row actions), the module dialog (new, edit), and one module's
// page with the organizations it is enabled for and the enable / change-models dialog.
import type { Locator, Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { choose, closeMenus, field, input, isInvalid, waitForListPage } from './widgets.ts';

type ModuleField = 'Key' | 'Name' | 'Description';

/** The dialog of a new module or an edit (ModuleDialog.vue). */
export class ModuleForm {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root(): Locator {
    return this.page.getByTestId('module-form');
  }

  input(label: ModuleField): Locator {
    return input(this.root(), label);
  }

  invalid(label: ModuleField): Promise<boolean> {
    return isInvalid(this.root(), label);
  }

  /** The message under a field: its error, or its hint while valid. */
  async message(label: ModuleField): Promise<string> {
    return ((await field(this.root(), label).locator('.n-form-item-feedback').textContent()) ?? '').trim();
  }

  focused(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.id || null);
  }

  async fill(values: Partial<Record<ModuleField, string>>): Promise<void> {
    for (const [label, value] of Object.entries(values)) await this.input(label as ModuleField).fill(value);
  }

  async submit(): Promise<void> {
    await this.root().getByTestId('module-submit').click();
  }
}

/** Enable a module for an org, or change its models (EnableDialog.vue). */
export class EnableForm {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root(): Locator {
    return this.page.getByTestId('enable-module-form');
  }

  async chooseOrg(name: string, search = name): Promise<void> {
    await choose(this.page, field(this.root(), 'Organization'), name, search);
  }

  /** "all": every model the org may use; or the models to allow (picked by name). */
  async models(models: 'all' | string[]): Promise<void> {
    if (models === 'all') {
      await this.root().getByText('Every model the organization may use', { exact: true }).click();
      return;
    }
    await this.root().getByText('Only the models I choose', { exact: true }).click();
    for (const m of models) await choose(this.page, field(this.root(), 'Allowed models'), m);
    await closeMenus(this.page);
  }

  /** The models chosen in the "Allowed models" select, as its tags show them. */
  async chosenModels(): Promise<string[]> {
    return (await field(this.root(), 'Allowed models').locator('.n-tag').allTextContents()).map((t) => t.trim());
  }

  async removeModel(name: string): Promise<void> {
    await field(this.root(), 'Allowed models')
      .locator('.n-tag')
      .filter({ hasText: name })
      .locator('.n-tag__close')
      .click();
  }

  error(): Locator {
    return this.root().getByRole('alert');
  }

  async submit(): Promise<void> {
    await this.root().getByTestId('enable-module-submit').click();
  }
}

export class ModulesPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/platform/modules');
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await waitForListPage(this.page, 'Modules');
  }

  rows(): Locator {
    return this.page.getByTestId('module-row');
  }

  row(key: string): Locator {
    return this.page.locator(`[data-test="module-row"][data-key="${key}"]`);
  }

  async keys(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key') ?? ''));
  }

  status(key: string): Locator {
    return this.row(key).getByText(/^(Active|Suspended)$/);
  }

  search(): Locator {
    return this.page.getByRole('textbox', { name: 'Search modules' });
  }

  async filterStatus(status: 'Active' | 'Suspended'): Promise<void> {
    await choose(this.page, this.page.getByTestId('module-status-filter'), status);
  }

  /** The pager's "1–10 of 12". */
  range(): Locator {
    return this.page.getByText(/^\d+–\d+ of \d+$/);
  }

  async pageSize(size: 10 | 25 | 50 | 100): Promise<void> {
    await choose(this.page, this.page.locator('.pager__size'), `${size} per page`);
  }

  async turnPage(direction: 'Next' | 'Previous'): Promise<void> {
    await this.page.getByRole('button', { name: direction, exact: true }).click();
  }

  form(): ModuleForm {
    return new ModuleForm(this.page);
  }

  async startCreate(): Promise<ModuleForm> {
    await this.page.getByTestId('new-module').click();
    await this.form().root().waitFor();
    return this.form();
  }

  async edit(key: string): Promise<ModuleForm> {
    await this.row(key).getByTestId('edit-module').click();
    await this.form().root().waitFor();
    return this.form();
  }

  async rowAction(key: string, action: 'Suspend' | 'Reactivate' | 'Delete'): Promise<ConfirmDialog> {
    await this.row(key).getByRole('button', { name: action, exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }

  async openModule(key: string): Promise<void> {
    await this.row(key).getByTestId('module-link').click();
  }
}

export class ModulePage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(moduleId: string): Promise<void> {
    await this.page.goto(`/platform/modules/${moduleId}`);
  }

  /** Waits for the module's name as the page title and its enablements list. */
  async waitForLoaded(name: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
    await this.page.getByRole('heading', { level: 2, name: 'Enabled for' }).waitFor();
    await this.page.locator('.n-data-table--loading').first().waitFor({ state: 'detached' });
  }

  moduleId(): string {
    const id = new URL(this.page.url()).pathname.split('/')[3];
    if (!id) throw new Error(`no module id in ${this.page.url()}`);
    return id;
  }

  key(): Locator {
    return this.page.getByTestId('module-key');
  }

  status(): Locator {
    return this.page.getByTestId('module-status');
  }

  rows(): Locator {
    return this.page.getByTestId('enablement-row');
  }

  row(orgSlug: string): Locator {
    return this.page.locator(`[data-test="enablement-row"][data-org="${orgSlug}"]`);
  }

  async orgSlugs(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-org') ?? ''));
  }

  /** The Models cell of an org's row: its model tags ("a, b"), or its text ("Every model …", "No models"). */
  async models(orgSlug: string): Promise<string> {
    const cell = this.row(orgSlug).locator('td').nth(2);
    const tags = (await cell.locator('.n-tag').allTextContents()).map((t) => t.trim());
    return tags.length && !(tags.length === 1 && tags[0] === 'No models')
      ? tags.join(', ')
      : ((await cell.textContent()) ?? '').trim();
  }

  enableForm(): EnableForm {
    return new EnableForm(this.page);
  }

  async startEnable(): Promise<EnableForm> {
    await this.page.getByTestId('enable-module').click();
    await this.enableForm().root().waitFor();
    return this.enableForm();
  }

  async changeModels(orgSlug: string): Promise<EnableForm> {
    await this.row(orgSlug).getByTestId('change-enablement').click();
    await this.enableForm().root().waitFor();
    return this.enableForm();
  }

  async disable(orgSlug: string): Promise<ConfirmDialog> {
    await this.row(orgSlug).getByTestId('disable-module').click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }

  async edit(): Promise<ModuleForm> {
    await this.page.getByTestId('edit-module').click();
    const form = new ModuleForm(this.page);
    await form.root().waitFor();
    return form;
  }

  async lifecycle(action: 'Suspend' | 'Reactivate' | 'Delete'): Promise<ConfirmDialog> {
    await this.page.getByRole('button', { name: action, exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }
}
