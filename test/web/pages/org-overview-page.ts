// Org › Overview: the org's counts (teams, users, active keys, modules), its details, and for platform admins the
// org's lifecycle buttons.
import type { Locator, Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { OrgForm } from './organizations-page.ts';

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
    const statistic = this.page.locator('.n-statistic').filter({ has: this.page.getByText(label, { exact: true }) });
    return Number((await statistic.textContent())?.replace(label, '').replace(/\D+/g, ''));
  }

  /** A value of the Details card ("Name", "Slug", "Status", "Created"). */
  async detail(label: 'Name' | 'Slug' | 'Status' | 'Created'): Promise<string> {
    return ((await this.page.getByTestId(`org-detail-${label.toLowerCase()}`).textContent()) ?? '').trim();
  }

  /** Edit / Suspend / Reactivate / Delete: platform admins only. */
  lifecycleButtons(): Locator {
    return this.page.locator('button[data-test^="org-"]');
  }

  async edit(): Promise<OrgForm> {
    await this.page.getByTestId('org-edit').click();
    const form = new OrgForm(this.page, 'edit-org-form');
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
