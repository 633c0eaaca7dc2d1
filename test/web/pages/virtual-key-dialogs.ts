// The two key dialogs: the secret shown once after creation, and the revoke confirmation.
import type { Page } from 'playwright-core';

export class SecretDialog {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root() {
    return this.page.getByRole('dialog', { name: /^Secret for/ });
  }

  secretInput() {
    return this.root().getByLabel('Secret');
  }

  copyButton() {
    return this.root().getByRole('button', { name: /^Cop/ });
  }

  doneButton() {
    return this.root().getByRole('button', { name: 'I have stored the secret' });
  }
}

export class RevokeDialog {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root() {
    return this.page.getByRole('dialog', { name: /^Revoke/ });
  }

  confirmButton() {
    return this.root().getByRole('button', { name: 'Revoke key' });
  }

  cancelButton() {
    return this.root().getByRole('button', { name: 'Cancel' });
  }
}
