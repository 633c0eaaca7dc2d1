// One organization: its header and the Teams / Users / Virtual keys sections.
import type { Page } from 'playwright-core';

export type OrgSection = 'Teams' | 'Users' | 'Virtual keys';

export class OrganizationPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async waitForOrg(name: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name }).waitFor();
  }

  async openSection(section: OrgSection): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Organization sections' })
      .getByRole('link', { name: section })
      .click();
    await this.page.getByRole('heading', { level: 2, name: section }).waitFor();
  }

  /** Waits until the section's table or empty state replaced its loading state. */
  async waitForSectionLoaded(): Promise<void> {
    await this.page.locator('.state--loading').waitFor({ state: 'detached' });
  }

  table(section: OrgSection) {
    return this.page.getByRole('table', { name: section });
  }

  row(section: OrgSection, text: string) {
    return this.table(section).getByRole('row').filter({ hasText: text });
  }
}
