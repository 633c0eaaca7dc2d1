// The organizations list and the create-organization form.
import type { Page } from 'playwright-core';

export class OrganizationsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
    await this.page.getByRole('status').filter({ hasText: 'Loading organizations' }).waitFor({ state: 'detached' });
  }

  table() {
    return this.page.getByRole('table', { name: 'Organizations' });
  }

  orgLink(name: string) {
    return this.table().getByRole('link', { name });
  }

  async startCreate(): Promise<void> {
    await this.page.getByRole('link', { name: 'New organization' }).click();
    await this.page.getByRole('heading', { level: 1, name: 'New organization' }).waitFor();
  }

  nameInput() {
    return this.page.getByLabel('Name');
  }

  slugInput() {
    return this.page.getByLabel('Slug');
  }

  submit() {
    return this.page.getByRole('button', { name: 'Create organization' });
  }
}
