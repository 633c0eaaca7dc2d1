// Billing settings: the form's rules (the API's bounds, for feedback before sending) and the periods an export
// can name. The control plane checks everything again.

// A type alias (not an interface) so that it is a Record<string, unknown>, as useForm takes.
export type BillingValues = {
  markupPercent: number | null;
  currency: string;
  exchangeRate: number | null;
  periodAnchorDay: number | null;
};

/** Decimal places of a number as typed (1e-7 counts as 7). */
export function decimals(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const text = String(value);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) {
    const mantissa = text.split('e')[0] ?? '';
    return Number(exp[1]) + (mantissa.split('.')[1]?.length ?? 0);
  }
  return text.split('.')[1]?.length ?? 0;
}

export function markupError(value: number | null): string | undefined {
  if (value === null) return 'Enter a markup (0 for none, negative for a discount).';
  if (value < -100 || value > 1000) return 'The markup must be from -100 % to 1000 %.';
  if (decimals(value) > 4) return 'Use at most 4 decimals.';
  return undefined;
}

export function currencyError(value: string): string | undefined {
  if (!/^[A-Z]{3}$/.test(value.trim())) return 'Enter an ISO 4217 code of three capital letters, e.g. EUR.';
  return undefined;
}

export function exchangeRateError(value: number | null, currency: string): string | undefined {
  if (value === null) return 'Enter how many units of the currency one US dollar buys.';
  if (value <= 0 || value > 1_000_000) return 'The rate must be greater than 0 and at most 1,000,000.';
  if (decimals(value) > 10) return 'Use at most 10 decimals.';
  if (currency.trim() === 'USD' && value !== 1) return 'The rate of USD is always 1.';
  return undefined;
}

export function anchorDayError(value: number | null): string | undefined {
  if (value === null || !Number.isInteger(value) || value < 1 || value > 28)
    return 'Choose a day of the month from 1 to 28.';
  return undefined;
}

export const billingRules = {
  markupPercent: (v: number | null) => markupError(v),
  currency: (v: string) => currencyError(v),
  exchangeRate: (v: number | null, values: BillingValues) => exchangeRateError(v, values.currency),
  periodAnchorDay: (v: number | null) => anchorDayError(v),
};

export interface PeriodOption {
  /** YYYY-MM, as the export takes it. */
  value: string;
  label: string;
  /** The period has ended, so its export is final. */
  complete: boolean;
}

const day = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * The billing periods around `now`, newest first: the one in progress, then `count - 1` complete ones. A period
 * `YYYY-MM` runs from the anchor day of that month (UTC midnight) to the anchor day of the next month.
 */
export function recentPeriods(anchorDay: number, now: Date, count = 12): PeriodOption[] {
  let year = now.getUTCFullYear();
  let month = now.getUTCMonth();
  // The period in progress started this month if the anchor day has come, else last month.
  if (now.getTime() < Date.UTC(year, month, anchorDay)) {
    month -= 1;
    if (month < 0) {
      month = 11;
      year -= 1;
    }
  }
  const periods: PeriodOption[] = [];
  for (let i = 0; i < count; i++) {
    const start = new Date(Date.UTC(year, month - i, anchorDay));
    const end = new Date(Date.UTC(year, month - i + 1, anchorDay));
    const value = `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
    const complete = end.getTime() <= now.getTime();
    const range = `${day.format(start)} – ${day.format(end)}`;
    periods.push({ value, label: complete ? range : `${range} (in progress)`, complete });
  }
  return periods;
}

/** The export's total line: "1,234.56 EUR billed for 12 lines (provider cost 1,028.80 USD)". */
export function exportSummary(e: {
  lineCount: number;
  totalBilledAmount: string;
  currency: string;
  totalProviderCostUsd: string;
}): string {
  const lines = e.lineCount === 1 ? '1 line' : `${e.lineCount.toLocaleString('en-US')} lines`;
  return `${e.totalBilledAmount} ${e.currency} billed for ${lines} (provider cost ${e.totalProviderCostUsd} USD)`;
}

/** "+20 %", "−10 % (discount)", "0 %": how a markup reads in the settings list. */
export function markupLabel(markupPercent: number): string {
  if (markupPercent > 0) return `+${markupPercent} %`;
  if (markupPercent < 0) return `−${Math.abs(markupPercent)} % (discount)`;
  return '0 %';
}

/** "EUR, 0.92 per USD"; USD alone. */
export function currencyLabel(currency: string, exchangeRate: number): string {
  return currency === 'USD' ? 'USD' : `${currency}, ${exchangeRate} per USD`;
}

/** Longest window an export takes (the API's limit for explicit from/to). */
export const maxExportDays = 366;

/**
 * The export window of a date range picked in the browser (each end a local midnight, the last day included): the
 * same calendar days in UTC, `to` exclusive, as whole hours the API accepts.
 */
export function utcDayWindow(range: [number, number]): { from: string; to: string } {
  const [start, end] = range.map((ms) => new Date(ms));
  if (!start || !end) throw new Error('a range has two ends');
  const from = Date.UTC(start.getFullYear(), start.getMonth(), start.getDate());
  const to = Date.UTC(end.getFullYear(), end.getMonth(), end.getDate() + 1);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

export function exportRangeError(range: [number, number] | null): string | undefined {
  if (!range) return 'Choose the first and last day.';
  const { from, to } = utcDayWindow(range);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days > maxExportDays) return `An export covers at most ${maxExportDays} days.`;
  return undefined;
}
