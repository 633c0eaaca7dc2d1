// CSV files of what a dashboard shows (built in the browser): the breakdown table and the charted series. RFC 4180
// with CRLF line ends and a header row; text cells that a spreadsheet would run as a formula get a leading "'",
// like the billing export does.
import type { UsageDimension } from '../../graphql/generated/graphql';
import { isNamedById } from './usage-dimensions';
import type { Amounts, GroupSeries } from './usage-series';

export type Cell = string | number | null | undefined;

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  let text = typeof cell === 'number' ? numberText(cell) : cell;
  if (typeof cell === 'string' && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Plain decimals, never exponents (1e-7 would not read back as a cost in every spreadsheet). */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const amountHeader = ['requests', 'errors', 'input_tokens', 'cached_input_tokens', 'output_tokens', 'cost_usd'];
const amountCells = (a: Amounts): Cell[] => [
  a.requests,
  a.errors,
  a.inputTokens,
  a.cachedInputTokens,
  a.outputTokens,
  a.costUsd,
];

/** The columns naming a group: "team_id, team_name"; models and providers are their own name ("model"). */
export function dimensionHeader(dimension: UsageDimension): string[] {
  const base = dimension.toLowerCase();
  return isNamedById(dimension) ? [`${base}_id`, `${base}_name`] : [base];
}

function dimensionCells(dimension: UsageDimension, value: string | null, name: string): Cell[] {
  return isNamedById(dimension) ? [value, name] : [value ?? name];
}

export interface TableRow {
  value: string | null;
  /** What the table shows for it: the name, or "No team", "Other"… */
  name: string;
  amounts: Amounts;
}

/** The breakdown table as shown: one row per line, ranked. */
export function tableCsv(dimension: UsageDimension, rows: TableRow[]): string {
  return toCsv(
    ['rank', ...dimensionHeader(dimension), ...amountHeader],
    rows.map((r, i) => [i + 1, ...dimensionCells(dimension, r.value, r.name), ...amountCells(r.amounts)]),
  );
}

/**
 * The charted series, one row per bucket and group (the groups the charts show, then "Other"); buckets where a
 * group had no usage are left out.
 */
export function seriesCsv(
  dimension: UsageDimension,
  buckets: string[],
  groups: GroupSeries[],
  nameOf: (g: GroupSeries) => string,
): string {
  const rows: Cell[][] = [];
  buckets.forEach((bucket, i) => {
    for (const g of groups) {
      const a = g.perBucket[i];
      if (!a || (a.requests === 0 && a.costUsd === 0 && a.inputTokens === 0 && a.outputTokens === 0)) continue;
      rows.push([bucket, ...dimensionCells(dimension, g.other ? null : g.value, nameOf(g)), ...amountCells(a)]);
    }
  });
  return toCsv(['bucket_start', ...dimensionHeader(dimension), ...amountHeader], rows);
}
