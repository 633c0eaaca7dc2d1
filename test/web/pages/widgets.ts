// How the page objects reach form fields and Naive UI widgets. Fields are found by their FormField wrapper
// (`data-test="field-<label in kebab case>"`) and the control inside it by role or native element; the select
// menu is the one place that needs a Naive class, because Naive renders its options without a role.
import type { Locator, Page } from 'playwright-core';

const kebab = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The FormField with this label (its label, control and message). */
export function field(scope: Page | Locator, label: string): Locator {
  return scope.getByTestId(`field-${kebab(label)}`);
}

/** The text input (or textarea) of a field. */
export function input(scope: Page | Locator, label: string): Locator {
  return field(scope, label).locator('input, textarea').first();
}

/** True once the field shows an error (client rule or the server's extensions.field). */
export async function isInvalid(scope: Page | Locator, label: string): Promise<boolean> {
  return (await field(scope, label).getAttribute('data-invalid')) === 'true';
}

/**
 * The open select menu (teleported to the body). One still fading out after its select closed is not it: it stays
 * visible for a moment, and its options belong to another control.
 */
export function openSelectMenu(page: Page): Locator {
  return page.locator('.n-base-select-menu:visible:not([class*="transition-leave"])');
}

/**
 * Picks `option` in the select of a field: opens it, types into its search box when it is filterable, clicks the
 * option once listed, and checks the select shows it. A remote picker lists only the answer to the text typed
 * ("Searching…" until then), so the option appearing means the list is final and stays put.
 */
export async function choose(page: Page, control: Locator, option: string, search = option): Promise<void> {
  // The focusable part of a select: its search input when filterable, else the selection itself.
  await control.locator('input, [tabindex="0"]').first().click();
  const box = control.locator('input');
  if ((await box.count()) > 0) await box.first().fill(search);
  await openSelectMenu(page).getByText(option, { exact: true }).first().click();
  // A single select shows the chosen label, a multiple one a tag with it.
  await control.getByText(option, { exact: true }).first().waitFor();
}

/** Picks `option` in the select of the field labelled `label`. */
export async function chooseIn(page: Page, scope: Page | Locator, label: string, option: string): Promise<void> {
  await choose(page, field(scope, label), option);
}

/**
 * Closes the open select menu with Escape, e.g. after picking several options of a multiple select. Only a select
 * with its menu open takes the key for itself; pressed with none open, Escape would close the dialog around it.
 */
export async function closeMenus(page: Page): Promise<void> {
  const menu = openSelectMenu(page);
  if ((await menu.count()) === 0) return;
  await page.keyboard.press('Escape');
  await menu.first().waitFor({ state: 'detached' });
}

/**
 * Picks the radio labelled `label` in `scope` by clicking its label, as a person does: Naive UI keeps the native
 * input visually hidden, so it is checked through its label, then verified.
 */
export async function chooseRadio(scope: Locator, label: string): Promise<void> {
  // The inner locator of `has` is matched inside each label, so it starts from the page, not from `scope`.
  const inLabel = scope.page().getByRole('radio', { name: label, exact: true });
  await scope.locator('label').filter({ has: inLabel }).click();
  if (!(await scope.getByRole('radio', { name: label, exact: true }).isChecked())) {
    throw new Error(`the radio "${label}" did not get checked`);
  }
}

/** A list page is ready: its title shows, and its first table has arrived and stopped loading. */
export async function waitForListPage(page: Page, title: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: title, exact: true }).waitFor();
  await page.getByRole('table').first().waitFor();
  await page.locator('.n-data-table--loading').waitFor({ state: 'detached' });
}
