// Multi-step journeys of the platform's Providers and Models pages: add a credential, create a model.
import type { Page } from 'playwright-core';
import { ModelDetailPage } from '../pages/model-detail-page.ts';
import { type DeploymentInput, ModelsPage } from '../pages/models-page.ts';
import { type CredentialInput, ProvidersPage } from '../pages/providers-page.ts';

/** Creates a credential on the Providers page (opened if needed); returns the masked hint its row shows. */
export async function createCredential(page: Page, c: CredentialInput): Promise<string> {
  const providers = new ProvidersPage(page);
  if (new URL(page.url()).pathname !== '/platform/providers') await providers.open();
  await providers.startCreate();
  await providers.submitCreate(c);
  await providers.form().waitFor({ state: 'detached' });
  await providers.row(c.name).waitFor();
  return providers.hint(c.name);
}

export interface ModelInput {
  name: string;
  input: number;
  output: number;
  cached?: number;
  deployments: DeploymentInput[];
}

/** Creates a model on the Models page and lands on its page; returns the model's id. */
export async function createModel(page: Page, m: ModelInput): Promise<string> {
  const models = new ModelsPage(page);
  if (new URL(page.url()).pathname !== '/platform/models') await models.open();
  await models.startCreate();
  await models.fillModel(m);
  for (const [i, d] of m.deployments.entries()) await models.fillDeployment(i, d);
  await models.submit();
  await page.waitForURL(/\/platform\/models\/[0-9a-f-]{36}$/);
  const detail = new ModelDetailPage(page);
  await detail.waitForLoaded(m.name);
  return detail.modelId();
}
