// The confirmation every destructive action asks for (use-confirm.ts): a dialog naming what will happen.
import type { Page } from 'playwright-core';

export class ConfirmDialog {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root() {
    return this.page.getByRole('dialog').filter({ has: this.page.getByTestId('confirm-action') });
  }

  async waitFor(title: string | RegExp): Promise<void> {
    await this.root().filter({ hasText: title }).waitFor();
  }

  async confirm(): Promise<void> {
    await this.root().getByTestId('confirm-action').click();
    await this.root().waitFor({ state: 'detached' });
  }

  async cancel(): Promise<void> {
    await this.root().getByTestId('confirm-cancel').click();
    await this.root().waitFor({ state: 'detached' });
  }
}
