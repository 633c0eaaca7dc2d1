// The sign-in page, addressed as a user sees it: the card title, the labelled fields, the sign-in button.
import type { Page } from 'playwright-core';
import { field, input } from './widgets.ts';

export class LoginPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  title() {
    return this.page.getByText('Sign in to LLM Gateway', { exact: true });
  }

  async open(): Promise<void> {
    await this.page.goto('/login');
    await this.waitForShown();
  }

  async waitForShown(): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/login');
    await this.title().waitFor();
  }

  email() {
    return input(this.page, 'Email');
  }

  password() {
    return input(this.page, 'Password');
  }

  field(label: 'Email' | 'Password') {
    return field(this.page, label);
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email().fill(email);
    await this.password().fill(password);
    // Enter submits: the form works from the keyboard alone.
    await this.password().press('Enter');
  }

  error() {
    return this.page.getByTestId('login-error');
  }
}
