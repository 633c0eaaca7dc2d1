// The dashboards' time windows: presets (last 24 h, 7 days, 30 days, this month, last month) and custom dates
// turned into the API's [from, to) of whole UTC hours with a sensible bucket, and the buckets a window allows.
import type { UsageBucket } from '../../graphql/generated/graphql';

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

export type RangePreset = 'last24h' | 'last7d' | 'last30d' | 'thisMonth' | 'lastMonth' | 'custom';

export const presetLabels: Record<RangePreset, string> = {
  last24h: 'Last 24 h',
  last7d: 'Last 7 days',
  last30d: 'Last 30 days',
  thisMonth: 'This month',
  lastMonth: 'Last month',
  custom: 'Custom',
};

export const bucketLabels: Record<UsageBucket, string> = { HOUR: 'Hourly', DAY: 'Daily', MONTH: 'Monthly' };

/** The API's limits per bucket (docs/api-guide.md "Windows"), in days. */
export const maxBucketDays: Record<UsageBucket, number> = { HOUR: 31, DAY: 366, MONTH: 3660 };

export interface UsageWindow {
  /** ISO instants, whole UTC hours; the window is [from, to). */
  from: string;
  to: string;
  bucket: UsageBucket;
}

/** A custom range: calendar dates (UTC), both days included. */
export interface DateSpan {
  start: string; // YYYY-MM-DD
  end: string; // YYYY-MM-DD
}

const floorHour = (t: number) => Math.floor(t / hourMs) * hourMs;
const utcDay = (t: number) => Math.floor(t / dayMs) * dayMs;
const utcMonth = (t: number, add = 0) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1);
};
const iso = (t: number) => new Date(t).toISOString();

/** The end of every window that includes now: the end of the current UTC hour, so the usage so far counts. */
export const endOfCurrentHour = (now: number): number => floorHour(now) + hourMs;

/** The bucket a window of this length reads best in: hours up to two days, days up to ~3 months, then months. */
export function defaultBucket(spanMs: number): UsageBucket {
  if (spanMs <= 2 * dayMs) return 'HOUR';
  if (spanMs <= 93 * dayMs) return 'DAY';
  return 'MONTH';
}

/** The buckets the API accepts for a window of this length (finest first). */
export function allowedBuckets(spanMs: number): UsageBucket[] {
  return (['HOUR', 'DAY', 'MONTH'] as const).filter((b) => spanMs <= maxBucketDays[b] * dayMs);
}

function parseDate(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().startsWith(date) ? t : null;
}

/** [from, to) of a preset at `now`; custom needs `span`. Returns null when the custom span is missing or invalid. */
export function presetRange(
  preset: RangePreset,
  now: number,
  span?: DateSpan | null,
): { from: number; to: number } | null {
  const end = endOfCurrentHour(now);
  switch (preset) {
    case 'last24h':
      return { from: end - dayMs, to: end };
    // Whole UTC days: today so far and the days before it, so daily buckets are whole days but the first.
    case 'last7d':
      return { from: utcDay(now) - 6 * dayMs, to: end };
    case 'last30d':
      return { from: utcDay(now) - 29 * dayMs, to: end };
    case 'thisMonth':
      return { from: utcMonth(now), to: end };
    case 'lastMonth':
      return { from: utcMonth(now, -1), to: utcMonth(now) };
    case 'custom': {
      const start = span ? parseDate(span.start) : null;
      const last = span ? parseDate(span.end) : null;
      if (start === null || last === null || last < start) return null;
      const to = last + dayMs;
      if (to - start > maxBucketDays.MONTH * dayMs) return null;
      return { from: start, to };
    }
  }
}

/**
 * The window to query: the preset's [from, to) and a bucket — the one asked for when the API allows it for this
 * length, else the default for the length.
 */
export function usageWindow(
  preset: RangePreset,
  now: number,
  span?: DateSpan | null,
  bucket?: UsageBucket | null,
): UsageWindow | null {
  const range = presetRange(preset, now, span);
  if (!range) return null;
  const length = range.to - range.from;
  const chosen = bucket && allowedBuckets(length).includes(bucket) ? bucket : defaultBucket(length);
  return { from: iso(range.from), to: iso(range.to), bucket: chosen };
}

/** True while usage can still arrive in the window (it ends in the future): the dashboard then follows live. */
export function includesNow(window: Pick<UsageWindow, 'to'>, now: number): boolean {
  return Date.parse(window.to) > now;
}

/** Start of the UTC bucket holding `t`. */
export function bucketFloor(t: number, bucket: UsageBucket): number {
  if (bucket === 'HOUR') return floorHour(t);
  if (bucket === 'DAY') return utcDay(t);
  return utcMonth(t);
}

function nextBucket(t: number, bucket: UsageBucket): number {
  if (bucket === 'HOUR') return t + hourMs;
  if (bucket === 'DAY') return t + dayMs;
  return utcMonth(t, 1);
}

/** Every bucket start of the window, as the API writes them (ISO), so charts show empty buckets as zero. */
export function bucketStarts(window: UsageWindow): string[] {
  const to = Date.parse(window.to);
  const out: string[] = [];
  for (let t = bucketFloor(Date.parse(window.from), window.bucket); t < to; t = nextBucket(t, window.bucket)) {
    out.push(iso(t));
  }
  return out;
}

/** The date (YYYY-MM-DD, UTC) of an instant, for the custom range picker. */
export const utcDate = (t: number): string => iso(t).slice(0, 10);
