// Platform › Fleet: the published config version, and one row per data-plane node with its applied version, lag,
// connection, last report and usage delivery (backlog, dead letters).
import type { Page } from 'playwright-core';
import { choose } from './widgets.ts';

export class FleetPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/platform/fleet');
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Fleet' }).waitFor();
    await this.page.getByTestId('published-version').waitFor();
  }

  publishedVersion() {
    return this.page.getByTestId('published-version');
  }

  row(nodeId: string) {
    return this.page.locator(`[data-test="node-row"][data-node="${nodeId}"]`);
  }

  applied(nodeId: string) {
    return this.row(nodeId).getByTestId('node-applied');
  }

  lag(nodeId: string) {
    return this.row(nodeId).getByTestId('node-lag');
  }

  /** The node's sync state badge (in sync, catching up, rejecting config, refused, offline). */
  syncState(nodeId: string) {
    return this.row(nodeId).getByTestId('node-sync-state');
  }

  /** Why it is not in sync (its rejection or refusal), when it says. */
  syncReason(nodeId: string) {
    return this.row(nodeId).getByTestId('node-sync-reason');
  }

  health(nodeId: string) {
    return this.row(nodeId).getByTestId('node-health');
  }

  lastSeen(nodeId: string) {
    return this.row(nodeId).getByTestId('node-last-seen');
  }

  usageBacklog(nodeId: string) {
    return this.row(nodeId).getByTestId('node-usage-backlog');
  }

  deadLetters(nodeId: string) {
    return this.row(nodeId).getByTestId('node-dead-letters');
  }

  /** Shows only connected (or disconnected) nodes. */
  async filterConnection(option: 'Connected' | 'Disconnected'): Promise<void> {
    await choose(this.page, this.page.getByTestId('node-connection-filter'), option);
  }

  autoRefresh() {
    return this.page.getByTestId('auto-refresh');
  }

  async refresh(): Promise<void> {
    await this.page.getByTestId('refresh-fleet').click();
  }
}
