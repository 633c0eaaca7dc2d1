// The signed-in frame around every page: the side menu (platform and org groups), the account bar, the org bar.
import type { Page } from 'playwright-core';

export class Shell {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  menu() {
    return this.page.getByRole('menu', { name: 'Main menu' });
  }

  /** A side-menu entry by its label (e.g. "Organizations", "Keys"). */
  menuLink(label: string) {
    return this.menu().getByRole('link', { name: label, exact: true });
  }

  /** Every label of the side menu, top to bottom. */
  async menuLabels(): Promise<string[]> {
    return (await this.menu().getByRole('link').allTextContents()).map((t) => t.trim());
  }

  async go(label: string): Promise<void> {
    await this.menuLink(label).click();
  }

  /** The page's title (PageHeader's h1). */
  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  async waitForHeading(title: string): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
  }

  /** Inside an org's panel: the org's name above every page. */
  orgName() {
    return this.page.getByTestId('org-name');
  }

  toggleMenu() {
    return this.page.getByRole('button', { name: 'Toggle menu' });
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId('sign-out').click();
  }

  /** The short-lived notice (Naive message) confirming an action, e.g. "Acme created". */
  notice(text: string | RegExp) {
    return this.page.getByText(text);
  }
}
