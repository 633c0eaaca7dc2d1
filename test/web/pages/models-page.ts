// Platform › Models: the catalogue list and the new-model dialog with its deployment rows.
import type { Page } from 'playwright-core';
import { choose, field, input } from './widgets.ts';

export interface DeploymentInput {
  /** The credential's option label, `name (hint)`. */
  credential: string;
  upstreamModel: string;
  weight: number;
}

export class ModelsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/platform/models');
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Models' }).waitFor();
    await this.page.getByTestId('new-model').waitFor();
  }

  row(name: string) {
    return this.page.locator(`[data-test="model-row"][data-name="${name}"]`);
  }

  async openModel(name: string): Promise<void> {
    await this.row(name).getByTestId('model-link').click();
  }

  form() {
    return this.page.getByTestId('model-form');
  }

  formField(label: 'Name' | 'Input price' | 'Output price' | 'Cached input price') {
    return field(this.form(), label);
  }

  async startCreate(): Promise<void> {
    await this.page.getByTestId('new-model').click();
    await this.form().waitFor();
  }

  /** Deployment row `index` (0-based) of the new-model form. */
  deploymentRow(index: number) {
    return this.form().locator(`[data-test="deployment-form-row"][data-index="${index}"]`);
  }

  rowField(index: number, label: 'Credential' | 'Upstream model' | 'Weight') {
    return field(this.deploymentRow(index), label);
  }

  async fillModel(m: { name: string; input: number; output: number; cached?: number }): Promise<void> {
    await input(this.form(), 'Name').fill(m.name);
    await input(this.form(), 'Input price').fill(String(m.input));
    await input(this.form(), 'Output price').fill(String(m.output));
    if (m.cached !== undefined) await input(this.form(), 'Cached input price').fill(String(m.cached));
  }

  /** Fills row `index`, adding rows first when the form has fewer. */
  async fillDeployment(index: number, d: DeploymentInput): Promise<void> {
    for (let n = await this.form().getByTestId('deployment-form-row').count(); n <= index; n += 1) {
      await this.form().getByTestId('add-deployment-row').click();
      await this.deploymentRow(n).waitFor();
    }
    const row = this.deploymentRow(index);
    const name = d.credential.replace(/ \(.*\)$/, '');
    await choose(this.page, field(row, 'Credential'), d.credential, name);
    await input(row, 'Upstream model').fill(d.upstreamModel);
    await input(row, 'Weight').fill(String(d.weight));
  }

  async removeDeploymentRow(index: number): Promise<void> {
    await this.deploymentRow(index).getByTestId('remove-deployment-row').click();
  }

  /** The share of traffic a row shows, e.g. "75 % of traffic". */
  async rowShare(index: number): Promise<string> {
    return ((await this.deploymentRow(index).getByTestId('deployment-share').textContent()) ?? '').trim();
  }

  /** Submits with Enter from the name field (the form works from the keyboard). */
  async submit(): Promise<void> {
    await input(this.form(), 'Name').press('Enter');
  }
}
