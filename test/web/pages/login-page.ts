// The sign-in page, addressed as a user sees it: the card title, the labelled fields, the sign-in button.
import type { Page } from 'playwright-core';
import { field, input } from './widgets.ts';

/** Where the UI keeps the session token (web/src/graphql/session.ts). */
export const sessionStorageKey = 'gw.admin.session';

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

  /** The message under a field ('' when it shows none). */
  async fieldMessage(label: 'Email' | 'Password'): Promise<string> {
    const feedback = this.field(label).locator('.n-form-item-feedback');
    return (await feedback.count()) ? ((await feedback.textContent()) ?? '').trim() : '';
  }

  /** The name of the input that has the keyboard focus ('email', 'password'), or null. */
  focusedField(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.getAttribute('name') ?? null);
  }

  /** Fills both fields and presses Enter (the form works from the keyboard alone). */
  async signIn(email: string, password: string): Promise<void> {
    await this.email().fill(email);
    await this.password().fill(password);
    await this.password().press('Enter');
  }

  /** Signs in and waits for the API's answer to the login (for a refusal the caller then reads error()). */
  async attempt(email: string, password: string): Promise<void> {
    const answered = this.page.waitForResponse(
      (r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('mutation Login'),
    );
    await this.signIn(email, password);
    await answered;
  }

  error() {
    return this.page.getByTestId('login-error');
  }

  /** The session token the UI stored, or null when signed out. */
  storedToken(): Promise<string | null> {
    return this.page.evaluate((key) => window.localStorage.getItem(key), sessionStorageKey);
  }
}
