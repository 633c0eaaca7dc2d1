// The sign-in page, addressed the way a user sees it: by labels and button names.
import type { Page } from 'playwright-core';

export class LoginPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/login');
    await this.page.getByRole('heading', { name: 'Sign in to LLM Gateway' }).waitFor();
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    // Enter submits: the form is usable from the keyboard alone.
    await this.page.getByLabel('Password').press('Enter');
  }

  errorAlert() {
    return this.page.getByRole('alert');
  }
}
