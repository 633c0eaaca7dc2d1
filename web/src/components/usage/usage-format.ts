// Numbers and dates of the usage dashboards: costs in USD with enough decimals for small amounts, token and
// request counts with thousands separators, compact axis labels, and bucket labels.
import type { UsageBucket } from '../../graphql/generated/graphql';

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const usd = (maxDecimals: number) =>
  new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: maxDecimals,
  });
const usd2 = usd(2);
const usd4 = usd(4);
const usd6 = usd(6);

/** The smallest cost shown as a number; anything below reads "< $0.000001" rather than a misleading $0.00. */
export const smallestCost = 0.000001;

/**
 * "$1,234.57" from a dollar up, "$0.0123" from a cent, "$0.000123" below: cents only would hide the cost of
 * single requests, which are often fractions of a cent.
 */
export function formatCost(usdAmount: number): string {
  const abs = Math.abs(usdAmount);
  if (abs === 0) return usd2.format(0);
  if (abs < smallestCost) return usdAmount < 0 ? `> -${usd6.format(smallestCost)}` : `< ${usd6.format(smallestCost)}`;
  if (abs >= 1) return usd2.format(usdAmount);
  if (abs >= 0.01) return usd4.format(usdAmount);
  return usd6.format(usdAmount);
}

/** "1,234,567": requests, errors and tokens are whole numbers. */
export function formatCount(value: number): string {
  return count.format(value);
}

/** "1.2M" for chart axes. */
export function formatCompact(value: number): string {
  return compact.format(value);
}

/** Axis labels of cost charts: "$1.2K", "$0.05", "$0.0003". */
export function formatCostAxis(usdAmount: number): string {
  if (Math.abs(usdAmount) >= 1000) return `$${compact.format(usdAmount)}`;
  return formatCost(usdAmount);
}

/** "2.5 %" of `part` in `whole`; "—" when there is no whole. */
export function formatPercent(part: number, whole: number): string {
  if (!whole) return '—';
  const p = (part / whole) * 100;
  if (p > 0 && p < 0.1) return '< 0.1 %';
  return `${p.toFixed(p >= 10 || Number.isInteger(p) ? 0 : 1)} %`;
}

/**
 * A bucket's label: hours in the viewer's time zone (an hour is the same instant everywhere), days and months as
 * the UTC calendar day or month the API counts in. `timeZone` is for tests.
 */
export function bucketLabel(bucketStart: string, bucket: UsageBucket, timeZone?: string): string {
  const date = new Date(bucketStart);
  if (bucket === 'HOUR') {
    return new Intl.DateTimeFormat('en-US', {
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    }).format(date);
  }
  if (bucket === 'DAY') {
    return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date);
  }
  return new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
}

const utcInstant = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

/** "Nov 29, 2026, 00:00 – Dec 5, 2026, 15:00 UTC": the window as the API counts it (the end excluded). */
export function formatWindow(from: string, to: string): string {
  return `${utcInstant.format(new Date(from))} – ${utcInstant.format(new Date(to))} UTC`;
}
