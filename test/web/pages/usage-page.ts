// Org › Usage and Platform › Usage (one dashboard): the period presets, the breakdown switch, the totals cards,
// the top-N rows and the CSV exports.
import { text } from 'node:stream/consumers';
import type { Page } from 'playwright-core';
import { choose, closeMenus } from './widgets.ts';

export type UsageTotal = 'requests' | 'errors' | 'input-tokens' | 'output-tokens' | 'cost';

export type Preset = 'last24h' | 'last7d' | 'last30d' | 'thisMonth' | 'lastMonth' | 'custom';

export class UsagePage {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async openOrg(orgId: string): Promise<void> {
    await this.page.goto(`/orgs/${orgId}/usage`);
    await this.waitForLoaded();
  }

  async openPlatform(): Promise<void> {
    await this.page.goto('/platform/usage');
    await this.waitForLoaded();
  }

  /** The header and the totals (read from the API) are shown. */
  async waitForLoaded(): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: 'Usage', exact: true }).waitFor();
    await this.totalCell('requests').waitFor();
  }

  totalCell(name: UsageTotal) {
    return this.page.getByTestId(`usage-total-${name}`);
  }

  /** A totals card as shown, e.g. "1,234" or "$0.000123". */
  async totalText(name: UsageTotal): Promise<string> {
    return ((await this.totalCell(name).textContent()) ?? '').trim();
  }

  /** A count card as a number ("1,234" -> 1234). */
  async total(name: Exclude<UsageTotal, 'cost'>): Promise<number> {
    return Number((await this.totalText(name)).replace(/,/g, ''));
  }

  /** The period shown, e.g. "Nov 29, 2026, 00:00 – Dec 5, 2026, 15:00 UTC". */
  async windowText(): Promise<string> {
    return ((await this.page.getByTestId('usage-window').textContent()) ?? '').trim();
  }

  /** Platform page: narrows the dashboard to one organization (the org filter is a multiple select). */
  async filterOrg(name: string): Promise<void> {
    await choose(this.page, this.page.getByTestId('usage-org-filter'), name);
    await closeMenus(this.page);
  }

  live() {
    return this.page.getByTestId('usage-live');
  }

  async choosePreset(preset: Preset): Promise<void> {
    await this.page.getByTestId(`usage-range-${preset}`).click();
  }

  /** Switches the breakdown (charts and table) to a dimension by its label ("Model", "Key"…). */
  async breakDownBy(label: string): Promise<void> {
    await choose(this.page, this.page.getByTestId('usage-group-by'), label);
    await this.page.getByRole('heading', { name: new RegExp(`by ${label.toLowerCase()}$`) }).waitFor();
  }

  rows() {
    return this.page.getByTestId('usage-row');
  }

  /** The top-N row naming `name` (a team, user or key name, a model…). */
  row(name: string) {
    return this.page.locator(`[data-test="usage-row"][data-name="${name.replace(/"/g, '\\"')}"]`);
  }

  /** The cells of a row as shown, left to right. */
  async rowCells(name: string): Promise<string[]> {
    return (await this.row(name).locator('td').allTextContents()).map((t) => t.trim());
  }

  chart(metric: 'cost' | 'tokens') {
    return this.page.getByTestId(`usage-chart-${metric}`);
  }

  /** Both charts drawn, their grow animation done (the chart is aria-busy until then): ready for a screenshot. */
  async chartsDrawn(): Promise<void> {
    for (const metric of ['cost', 'tokens'] as const) {
      await this.page.locator(`[data-test="usage-chart-${metric}"][aria-busy="false"]`).waitFor();
    }
  }

  /** Clicks an export button and returns the file's name and text. */
  async export(what: 'table' | 'series'): Promise<{ filename: string; text: string }> {
    const button = this.page.getByTestId(`usage-export-${what}`);
    await this.page.waitForFunction((el) => !(el as HTMLButtonElement).disabled, await button.elementHandle());
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    // The browser runs as a shared server (global-setup.ts): the file is streamed over, not read from its disk.
    return { filename: download.suggestedFilename(), text: await text(await download.createReadStream()) };
  }
}

/** RFC 4180 rows (quoted cells, doubled quotes, CRLF), enough to read back the dashboard's exports. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

/** CSV rows as objects keyed by the header row. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}
