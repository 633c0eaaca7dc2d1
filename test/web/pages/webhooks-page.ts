// Org › Webhooks (and the platform's page, the same component): endpoint rows, the create dialog, and the budget
// alert list beside them.
import type { Page } from 'playwright-core';
import { input } from './widgets.ts';

export class WebhooksPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async openForOrg(orgId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/webhooks`);
    await this.page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
  }

  newButton() {
    return this.page.getByTestId('new-webhook');
  }

  row(url: string) {
    return this.page.locator(`[data-test="webhook-row"][data-url="${url}"]`);
  }

  async hint(url: string): Promise<string> {
    return ((await this.row(url).getByTestId('webhook-hint').textContent()) ?? '').trim();
  }

  form() {
    return this.page.getByTestId('webhook-form');
  }

  /** Opens the dialog, fills it and submits it; the caller checks where that leads. */
  async create(url: string, description: string): Promise<void> {
    await this.newButton().click();
    await this.form().waitFor();
    await input(this.form(), 'URL').fill(url);
    await input(this.form(), 'Description').fill(description);
    await this.form().getByTestId('webhook-submit').click();
  }

  alerts() {
    return this.page.getByTestId('budget-alert');
  }
}
