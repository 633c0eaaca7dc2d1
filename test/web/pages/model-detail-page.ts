// Platform › Models › one model: prices (and their editor), deployments (add, edit, remove) and the alert showing
// what the API refused.
import type { Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { field, input } from './widgets.ts';

export type PriceKind = 'input' | 'output' | 'cached';
const priceLabels = { input: 'Input price', output: 'Output price', cached: 'Cached input price' } as const;

export class ModelDetailPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(modelId: string, name: string): Promise<void> {
    await this.page.goto(`/platform/models/${modelId}`);
    await this.waitForLoaded(name);
  }

  async waitForLoaded(name: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
    await this.page.getByTestId('model-prices').waitFor();
  }

  /** The id in the URL of the page. */
  modelId(): string {
    const id = new URL(this.page.url()).pathname.split('/')[3];
    if (!id) throw new Error(`no model id in ${this.page.url()}`);
    return id;
  }

  price(kind: PriceKind) {
    return this.page.getByTestId(`price-${kind}`);
  }

  pricesForm() {
    return this.page.getByTestId('prices-form');
  }

  priceField(kind: PriceKind) {
    return field(this.pricesForm(), priceLabels[kind]);
  }

  /** Opens the price editor, sets the given prices and saves with Enter. */
  async editPrices(prices: Partial<Record<PriceKind, number | string>>): Promise<void> {
    await this.page.getByTestId('edit-prices').click();
    await this.pricesForm().waitFor();
    for (const [kind, value] of Object.entries(prices) as [PriceKind, number | string][]) {
      await input(this.pricesForm(), priceLabels[kind]).fill(String(value));
    }
    await input(this.pricesForm(), 'Input price').press('Enter');
  }

  deploymentRows() {
    return this.page.getByTestId('deployment-row');
  }

  deploymentRow(upstreamModel: string) {
    return this.page.locator(`[data-test="deployment-row"][data-upstream="${upstreamModel}"]`);
  }

  async share(upstreamModel: string): Promise<string> {
    return ((await this.deploymentRow(upstreamModel).getByTestId('deployment-share').textContent()) ?? '').trim();
  }

  deploymentForm() {
    return this.page.getByTestId('deployment-form');
  }

  async startEditDeployment(upstreamModel: string): Promise<void> {
    await this.deploymentRow(upstreamModel).getByTestId('edit-deployment').click();
    await this.deploymentForm().waitFor();
  }

  async startRemoveDeployment(upstreamModel: string): Promise<ConfirmDialog> {
    await this.deploymentRow(upstreamModel).getByTestId('remove-deployment').click();
    const dialog = new ConfirmDialog(this.page);
    await dialog.root().waitFor();
    return dialog;
  }

  /** The API's refusal of a removal or deletion, kept on the page. */
  refusal() {
    return this.page.getByTestId('model-refusal');
  }
}
