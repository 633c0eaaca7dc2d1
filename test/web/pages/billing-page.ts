// Platform › Billing: the default settings card, each org's row with its override actions, the settings dialog and
// the CSV export.
import type { Download, Page } from 'playwright-core';
import { input, openSelectMenu } from './widgets.ts';

export interface BillingForm {
  markupPercent?: number;
  currency?: string;
  exchangeRate?: number;
  periodAnchorDay?: number;
}

export class BillingPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/platform/billing');
    await this.page.getByRole('heading', { level: 1, name: 'Billing' }).waitFor();
    await this.page.getByTestId('default-markup').waitFor();
  }

  row(orgName: string) {
    return this.page.locator(`[data-test="billing-row"][data-name="${orgName}"]`);
  }

  markup(orgName: string) {
    return this.row(orgName).getByTestId('billing-markup');
  }

  source(orgName: string) {
    return this.row(orgName).getByTestId('billing-source');
  }

  form() {
    return this.page.getByTestId('billing-form');
  }

  /** Opens the org's override dialog, changes the given fields and saves with Enter. */
  async setOverride(orgName: string, values: BillingForm): Promise<void> {
    await this.row(orgName).getByTestId('billing-edit').click();
    await this.form().waitFor();
    if (values.currency !== undefined) await input(this.form(), 'Currency').fill(values.currency);
    if (values.exchangeRate !== undefined) await input(this.form(), 'Exchange rate').fill(String(values.exchangeRate));
    if (values.periodAnchorDay !== undefined)
      await input(this.form(), 'Period starts on day').fill(String(values.periodAnchorDay));
    if (values.markupPercent !== undefined) await input(this.form(), 'Markup').fill(String(values.markupPercent));
    await input(this.form(), 'Markup').press('Enter');
    await this.form().waitFor({ state: 'hidden' });
  }

  /** Picks the org for the export from its row ("Export"). */
  async exportFor(orgName: string): Promise<void> {
    await this.row(orgName).getByTestId('billing-export-org').click();
  }

  exportSection() {
    return this.page.getByTestId('billing-export');
  }

  /** Chooses a billing period by the text of its option (e.g. "(in progress)"). */
  async choosePeriod(text: string | RegExp): Promise<void> {
    await this.exportSection().getByTestId('export-period').click();
    await openSelectMenu(this.page).getByText(text).first().click();
  }

  exportTotal() {
    return this.exportSection().getByTestId('export-total');
  }

  /** Clicks "Download CSV" and returns the browser's download. */
  async download(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.exportSection().getByTestId('export-download').click(),
    ]);
    return download;
  }
}
