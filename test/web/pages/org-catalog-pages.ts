// Org › Modules and Org › Models: what the org may use; their write controls exist for platform admins only.
import type { Locator, Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { waitForListPage } from './widgets.ts';

export class OrgModulesPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/modules`);
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

  /** The Models cell of a module's row: its model tags joined ("a, b"), or its text ("Every model the …"). */
  async models(key: string): Promise<string> {
    const cell = this.row(key).locator('td').nth(3);
    const tags = (await cell.locator('.n-tag').allTextContents()).map((t) => t.trim());
    return tags.length ? tags.join(', ') : ((await cell.textContent()) ?? '').trim();
  }

  /** Enable / change models / disable: what only platform admins get. */
  writeControls(): Locator {
    return this.page.locator('[data-test="enable-module"], button[data-test^="module-"]');
  }

  enableForm(): Locator {
    return this.page.getByTestId('enable-module-form');
  }

  async changeModels(key: string): Promise<void> {
    await this.row(key).getByRole('button', { name: 'Change models', exact: true }).click();
    await this.enableForm().waitFor();
  }

  async disable(key: string): Promise<ConfirmDialog> {
    await this.row(key).getByRole('button', { name: 'Disable', exact: true }).click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }
}

export class OrgModelsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/models`);
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Models', exact: true }).waitFor();
    await this.access().waitFor();
    await this.page.getByRole('table').first().waitFor();
    await this.page.locator('.n-data-table--loading').waitFor({ state: 'detached' });
  }

  /** The notice saying whether the org may use every model or a list. */
  access(): Locator {
    return this.page.getByTestId('model-access');
  }

  async restricted(): Promise<boolean> {
    return (await this.access().getAttribute('data-restricted')) === 'true';
  }

  rows(): Locator {
    return this.page.getByTestId('model-row');
  }

  row(name: string): Locator {
    return this.page.locator(`[data-test="model-row"][data-name="${name}"]`);
  }

  async names(): Promise<string[]> {
    return this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));
  }

  /** The cells of a model's row as shown: name, input, output, cached input prices, access, updated. */
  async cells(name: string): Promise<string[]> {
    return (await this.row(name).locator('td').allTextContents()).map((t) => t.trim());
  }

  changeButton(): Locator {
    return this.page.getByTestId('change-model-access');
  }

  form(): Locator {
    return this.page.getByTestId('model-access-form');
  }
}
