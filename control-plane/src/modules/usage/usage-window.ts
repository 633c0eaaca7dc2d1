// Splits a [from, to) window into the parts each usage table can answer exactly: whole UTC days from the daily
// rollup, whole hours from the hourly rollup, and (legacy callers only) the partial hours at the ends from raw records.

export type UsageSource = 'daily' | 'hourly' | 'raw';

/** A half-open part of a window; a null end is open. */
export interface Segment {
  source: UsageSource;
  from: Date | null;
  to: Date | null;
}

export interface SegmentOptions {
  /** The daily rollup may answer (the query needs no hourly detail and no dimension the daily rollup lacks). */
  daily: boolean;
  /** Partial hours may be read from usage_records; without it both ends must be whole hours. */
  raw: boolean;
}

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

export const isWholeHour = (d: Date): boolean => d.getTime() % hourMs === 0;
export const isWholeDay = (d: Date): boolean => d.getTime() % dayMs === 0;

const floorTo = (d: Date, unit: number) => new Date(Math.floor(d.getTime() / unit) * unit);
const ceilTo = (d: Date, unit: number) => new Date(Math.ceil(d.getTime() / unit) * unit);
const same = (a: Date, b: Date) => a.getTime() === b.getTime();

/** [a, b) of whole hours: whole days from the daily rollup when allowed, the hours around them from the hourly one. */
function wholeHours(a: Date | null, b: Date | null, daily: boolean): Segment[] {
  const dayFrom = a && ceilTo(a, dayMs);
  const dayTo = b && floorTo(b, dayMs);
  if (!daily || (dayFrom && dayTo && dayFrom.getTime() >= dayTo.getTime()))
    return [{ source: 'hourly', from: a, to: b }];
  const out: Segment[] = [];
  if (a && dayFrom && !same(a, dayFrom)) out.push({ source: 'hourly', from: a, to: dayFrom });
  out.push({ source: 'daily', from: dayFrom, to: dayTo });
  if (b && dayTo && !same(b, dayTo)) out.push({ source: 'hourly', from: dayTo, to: b });
  return out;
}

/**
 * Parts of [from, to), in time order, covering it exactly once. Without `raw`, callers must have checked that both
 * ends are whole hours: this throws otherwise (a programming error, not a user one).
 */
export function segments(from: Date | null, to: Date | null, opts: SegmentOptions): Segment[] {
  if (from && to && from.getTime() >= to.getTime()) return [];
  if (!opts.raw && ((from && !isWholeHour(from)) || (to && !isWholeHour(to)))) {
    throw new Error('usage window ends must be whole hours');
  }
  const hourFrom = from && ceilTo(from, hourMs);
  const hourTo = to && floorTo(to, hourMs);
  // No whole hour inside: within one hour, or across one boundary.
  if (hourFrom && hourTo && hourFrom.getTime() >= hourTo.getTime()) return [{ source: 'raw', from, to }];
  const out: Segment[] = [];
  if (from && hourFrom && !same(from, hourFrom)) out.push({ source: 'raw', from, to: hourFrom });
  out.push(...wholeHours(hourFrom, hourTo, opts.daily));
  if (to && hourTo && !same(to, hourTo)) out.push({ source: 'raw', from: hourTo, to });
  return out;
}
