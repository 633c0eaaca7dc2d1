// The dialog that shows a secret once (SecretOnce.vue): its value, the copy button, and "I have stored it".
import type { Page } from 'playwright-core';

export class SecretDialog {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root() {
    return this.page.getByTestId('secret-dialog');
  }

  async waitFor(): Promise<void> {
    await this.root().waitFor();
  }

  async value(): Promise<string> {
    return this.root().getByTestId('secret-value').locator('input').inputValue();
  }

  copyButton() {
    return this.root().getByTestId('copy-secret');
  }

  async copy(): Promise<void> {
    await this.copyButton().click();
    await this.copyButton().filter({ hasText: 'Copied' }).waitFor();
  }

  /** What the page's clipboard holds now (the context has clipboard-read permission). */
  async clipboard(): Promise<string> {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  async done(): Promise<void> {
    await this.root().getByTestId('secret-done').click();
    await this.root().waitFor({ state: 'hidden' });
  }
}
