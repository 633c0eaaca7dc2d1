// The audit log (AuditTable.vue) of the platform (/platform/audit) or of an org (/orgs/:id/audit): its filters, its
// rows, and an event opened onto its fields before and after.
import type { Locator, Page } from 'playwright-core';
import { choose } from './widgets.ts';

export class AuditPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId?: string): Promise<void> {
    await this.page.goto(orgId ? `/orgs/${orgId}/audit` : '/platform/audit');
    await this.page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await this.rows().first().waitFor();
  }

  rows() {
    return this.page.getByTestId('audit-row');
  }

  /** Events of an action, optionally on one target id, newest first. */
  row(action: string, targetId?: string): Locator {
    const target = targetId ? `[data-target="${targetId}"]` : '';
    return this.page.locator(`[data-test="audit-row"][data-action="${action}"]${target}`);
  }

  /** The times of the rows shown, top to bottom (ISO, from each row's <time datetime>). */
  async times(): Promise<string[]> {
    return this.rows()
      .locator('time')
      .evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
  }

  /** Narrows the log to one entity type by its label (e.g. "API token"). */
  async filterType(label: string): Promise<void> {
    await choose(this.page, this.page.getByTestId('audit-type'), label);
  }

  /** Opens an event (its expand button) and returns the change view that appears under it. */
  async expand(row: Locator): Promise<Locator> {
    await row.getByTestId('audit-expand').click();
    const change = row.locator('xpath=following-sibling::tr[1]').getByTestId('audit-change');
    await change.waitFor();
    return change;
  }

  /** The value of a changed field before and after, as the change view shows it. */
  async field(change: Locator, name: string): Promise<{ before: string; after: string }> {
    const row = change.locator(`[data-test="audit-change-row"][data-field="${name}"]`);
    return {
      before: (await row.getByTestId('before').textContent())?.trim() ?? '',
      after: (await row.getByTestId('after').textContent())?.trim() ?? '',
    };
  }
}
