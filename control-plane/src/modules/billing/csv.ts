// RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote or line break (quotes doubled).

/** Text cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP "CSV injection"). */
const formulaStart = /^[=+\-@\t\r]/;

export type Cell = string | number | null;

function field(value: Cell, text: boolean): string {
  if (value === null) return '';
  let s = String(value);
  if (text && formulaStart.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** `textColumns`: indexes of free-text columns (names chosen by users), guarded against formula injection. */
export function toCsv(header: readonly string[], rows: readonly Cell[][], textColumns: ReadonlySet<number>): string {
  const lines = [header.map((h) => field(h, false)).join(',')];
  for (const row of rows) lines.push(row.map((v, i) => field(v, textColumns.has(i))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
