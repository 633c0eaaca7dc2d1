// The signed-in frame around every page: the side menu (platform and org groups), the account bar, the org bar.
import type { Page } from 'playwright-core';
import { choose } from './widgets.ts';

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

  /** The menu's group titles, top to bottom ("Platform", "Organization"). */
  async groups(): Promise<string[]> {
    return (await this.menu().locator('.n-menu-item-group-title').allTextContents()).map((t) => t.trim());
  }

  /** The label of the highlighted menu entry (the current page's section), or null. */
  async activeItem(): Promise<string | null> {
    const selected = this.menu().locator('.n-menu-item-content--selected');
    return (await selected.count()) ? ((await selected.textContent()) ?? '').trim() : null;
  }

  async go(label: string): Promise<void> {
    await this.menuLink(label).click();
  }

  /** True while the side menu is unfolded and on screen. */
  async menuOpen(): Promise<boolean> {
    const sider = this.page.getByTestId('main-menu');
    if ((await sider.getAttribute('data-collapsed')) === 'true') return false;
    const box = await sider.boundingBox();
    return !!box && box.width > 100 && box.x >= 0;
  }

  /** Width of the page area beside (or under) the menu. */
  async contentWidth(): Promise<number> {
    return (await this.page.locator('.content').boundingBox())?.width ?? 0;
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

  /** Who is signed in, as the header shows it. */
  async account(): Promise<{ email: string; role: string }> {
    return {
      email: ((await this.page.getByTestId('account-email').textContent()) ?? '').trim(),
      role: ((await this.page.getByTestId('account-role').textContent()) ?? '').trim(),
    };
  }

  /** The header's org picker (platform admins inside an org's panel). */
  orgSwitcher() {
    return this.page.getByTestId('org-switcher');
  }

  /** Picks another org in the header's switcher, searching for it by `search`. */
  async switchOrg(name: string, search = name): Promise<void> {
    await choose(this.page, this.orgSwitcher(), name, search);
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
