// Org › Overview: the org's counts (teams, users, active keys, modules) and its details.
import type { Page } from 'playwright-core';

export type OverviewStat = 'Teams' | 'Users' | 'Active keys' | 'Modules enabled';

export class OrgOverviewPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/overview`);
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await this.page.getByTestId('org-name').waitFor();
  }

  /** The number shown for a statistic. */
  async stat(label: OverviewStat): Promise<number> {
    const card = this.page.getByText(label, { exact: true }).locator('xpath=..');
    return Number((await card.textContent())?.replace(label, '').replace(/\D+/g, ''));
  }
}
