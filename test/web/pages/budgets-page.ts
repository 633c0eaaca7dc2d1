// Budgets in the UI: the org panel's Budgets page (one card per limited scope, each with a bar per period), the
// limits dialog (budgets per period, rpm, tpm, alert thresholds, and a scope picker when opened from the page), the
// Budget card on a user's or team's page, and the platform's Budgets page (orgs near or over their budgets).
import type { Locator, Page } from 'playwright-core';
import { ConfirmDialog } from './confirm-dialog.ts';
import { chooseIn, chooseRadio, field, input, isInvalid } from './widgets.ts';

export type Period = 'Daily' | 'Weekly' | 'Monthly' | 'Total';
export type LimitsField = `${Period} budget` | 'Requests per minute' | 'Tokens per minute' | 'Alert thresholds';
export type Scope = 'ORG' | 'TEAM' | 'USER' | 'KEY' | 'MODULE';

/** One scope's card (ScopeLimitsCard.vue): its bars, rate limits and Edit / Remove. */
export class LimitsCard {
  readonly root: Locator;
  constructor(root: Locator) {
    this.root = root;
  }

  bar(period: Period): Locator {
    return this.root.locator(`[data-test="budget-bar"][data-period="${period.toUpperCase()}"]`);
  }

  /** The share used as the API gave it (the bar's data-percent), or null without that budget. */
  async percent(period: Period): Promise<number | null> {
    const bar = this.bar(period);
    if ((await bar.count()) === 0) return null;
    return Number(await bar.getAttribute('data-percent'));
  }

  /** What the bar says in words: "$0.10 … 42 % used … $0.04 spent … Resets …". */
  async text(period: Period): Promise<string> {
    return ((await this.bar(period).textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  async figure(
    period: Period,
    part: 'limit' | 'percent' | 'spent' | 'reserved' | 'remaining' | 'reset',
  ): Promise<string> {
    return ((await this.bar(period).getByTestId(`budget-${part}`).textContent()) ?? '').trim();
  }

  async periods(): Promise<string[]> {
    return this.root
      .locator('[data-test="budget-bar"]')
      .evaluateAll((bars) => bars.map((b) => b.getAttribute('data-period') ?? ''));
  }

  rates(): Locator {
    return this.root.getByTestId('limits-rates');
  }

  alerts(): Locator {
    return this.root.getByTestId('limits-alerts');
  }

  none(): Locator {
    return this.root.getByTestId('limits-none');
  }

  editButton(): Locator {
    return this.root.getByTestId('limits-edit');
  }

  /** Every write control of the card (Edit, Remove, Start over). */
  writeControls(): Locator {
    return this.root.locator('[data-test="limits-edit"], [data-test="limits-remove"], [data-test="limits-reset"]');
  }

  async edit(): Promise<LimitsForm> {
    await this.editButton().click();
    const form = new LimitsForm(this.root.page());
    await form.root().waitFor();
    return form;
  }

  /** "Start over…" then the period's budget: the confirmation to start its period again. */
  async startOver(period: Period): Promise<ConfirmDialog> {
    await this.root.getByTestId('limits-reset').click();
    await this.root.page().locator('.n-dropdown-menu:visible').getByText(`${period} budget`, { exact: true }).click();
    const dialog = new ConfirmDialog(this.root.page());
    await dialog.root().waitFor();
    return dialog;
  }

  async remove(): Promise<ConfirmDialog> {
    await this.root.getByTestId('limits-remove').click();
    const dialog = new ConfirmDialog(this.root.page());
    await dialog.root().waitFor();
    return dialog;
  }
}

/** The limits dialog (LimitsDialog.vue). */
export class LimitsForm {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  root(): Locator {
    return this.page.getByTestId('limits-form');
  }

  input(label: LimitsField): Locator {
    return input(this.root(), label);
  }

  async fill(values: Partial<Record<LimitsField, string>>): Promise<void> {
    for (const [label, value] of Object.entries(values)) await this.input(label as LimitsField).fill(value);
  }

  /** With the scope picker: the org itself (platform admins), nothing more to choose. */
  async pickOrganization(): Promise<void> {
    await chooseRadio(this.root(), 'Organization');
  }

  /** With the scope picker: the kind of scope, then the team, user, key or module by the label its picker shows. */
  async pickIn(kind: 'Team' | 'User' | 'Key' | 'Module', option: string): Promise<void> {
    await chooseRadio(this.root(), kind);
    await chooseIn(this.page, this.root(), kind, option);
  }

  invalid(label: LimitsField | 'Team' | 'User'): Promise<boolean> {
    return isInvalid(this.root(), label);
  }

  async message(label: LimitsField | 'Team' | 'User'): Promise<string> {
    return ((await field(this.root(), label).locator('.n-form-item-feedback').textContent()) ?? '').trim();
  }

  /** The id of the input with the keyboard focus, or null. */
  focused(): Promise<string | null> {
    return this.page.evaluate(() => document.activeElement?.id || null);
  }

  formError(): Locator {
    return this.page.getByTestId('limits-form-error');
  }

  async submit(): Promise<void> {
    await this.root().getByTestId('limits-submit').click();
  }

  /** Submits and waits for the dialog to close (a save that went through). */
  async save(): Promise<void> {
    await this.submit();
    await this.root().waitFor({ state: 'detached' });
  }

  async cancel(): Promise<void> {
    await this.page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await this.root().waitFor({ state: 'detached' });
  }
}

/** Org › Budgets. */
export class OrgBudgetsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(orgId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/budgets`);
    await this.waitForLoaded();
  }

  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Budgets', exact: true }).waitFor();
    await this.card('ORG').root.waitFor();
  }

  /** A scope's card: the org's (by kind alone), or a team's, user's, key's or module's by its name. */
  card(scope: Scope, name?: string): LimitsCard {
    const selector = name
      ? `[data-test="scope-limits"][data-scope="${scope}"][data-name="${name}"]`
      : `[data-test="scope-limits"][data-scope="${scope}"]`;
    return new LimitsCard(this.page.locator(selector).first());
  }

  /** The names of the scopes below the org with limits, in page order. */
  async scopeNames(): Promise<string[]> {
    return this.page
      .locator('[data-test="scope-limits"]:not([data-scope="ORG"])')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-name') ?? ''));
  }

  newLimitsButton(): Locator {
    return this.page.getByTestId('new-limits');
  }

  async startNew(): Promise<LimitsForm> {
    await this.newLimitsButton().click();
    const form = new LimitsForm(this.page);
    await form.root().waitFor();
    return form;
  }

  /** Every write control of the page. */
  writeControls(): Locator {
    return this.page.locator(
      '[data-test="new-limits"], [data-test="limits-edit"], [data-test="limits-remove"], [data-test="limits-reset"]',
    );
  }

  orgNote(): Locator {
    return this.page.getByTestId('org-budget-note');
  }

  leaseRows(): Locator {
    return this.page.getByTestId('lease-row');
  }
}

/** The Budget card of a user's or team's page. */
export function budgetCardOn(page: Page, scope: 'USER' | 'TEAM'): LimitsCard {
  return new LimitsCard(page.locator(`[data-test="scope-limits"][data-scope="${scope}"]`));
}

/** Platform › Budgets. */
export class PlatformBudgetsPage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(): Promise<void> {
    await this.page.goto('/platform/budgets');
    await this.page.getByRole('heading', { level: 1, name: 'Budgets', exact: true }).waitFor();
    await this.page.getByRole('table').first().waitFor();
  }

  row(orgName: string): Locator {
    return this.page.locator(`[data-test="near-limit-row"][data-name="${orgName}"]`);
  }

  async names(): Promise<string[]> {
    return this.page
      .getByTestId('near-limit-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name') ?? ''));
  }

  async threshold(label: string): Promise<void> {
    await this.page.getByTestId('near-limit-threshold').click();
    await this.page.locator('.n-base-select-menu:visible').getByText(label, { exact: true }).click();
  }
}
