// Budget periods in an org's time zone: daily from local midnight, weekly from Monday 00:00, monthly from the 1st
// 00:00, total from the epoch. Computed with Intl, so daylight saving changes and odd offsets are handled: a period
// starts at the first instant whose local date is its first day.
import type { BudgetPeriod } from '@gw/schema';

export interface PeriodWindow {
  start: Date;
  /** When the next period starts; null for `total`. */
  end: Date | null;
}

export const epoch = new Date(0);

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalTime {
  y: number;
  m: number;
  d: number;
  /** The local wall time read as if it were UTC, ms. */
  wall: number;
}

function localTime(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return { y: parts.year, m: parts.month, d: parts.day, wall };
}

/** The first instant whose local date (in `timeZone`) is y-m-d (m 1-based; out-of-range days roll over). */
export function startOfLocalDay(y: number, m: number, d: number, timeZone: string): Date {
  const midnight = Date.UTC(y, m - 1, d);
  const target = new Date(midnight);
  const sameDay = (t: LocalTime) =>
    t.y === target.getUTCFullYear() && t.m === target.getUTCMonth() + 1 && t.d === target.getUTCDate();
  // The offset just before and at the guess; local midnight is guess - offset for one of them (both, usually).
  const offset = (ms: number) => localTime(ms, timeZone).wall - Math.floor(ms / 1000) * 1000;
  const candidates = new Set<number>();
  const first = midnight - offset(midnight);
  candidates.add(first);
  candidates.add(midnight - offset(first));
  const valid = [...candidates].filter((c) => sameDay(localTime(c, timeZone))).sort((a, b) => a - b);
  if (valid.length) {
    // Midnight may not exist (a gap at 00:00): the day then starts where the gap ends, which is a valid candidate;
    // step back by minutes only while the local date stays the same (never more than an hour or so).
    let start = valid[0];
    while (sameDay(localTime(start - 60_000, timeZone)) && midnight - start < 36 * 3_600_000) start -= 60_000;
    return new Date(start);
  }
  // A transition exactly at midnight both ways: scan forward by minutes from the earlier candidate.
  let t = Math.min(...candidates);
  while (!sameDay(localTime(t, timeZone))) t += 60_000;
  return new Date(t);
}

/** The window of `period` holding the instant `at`, in `timeZone`. */
export function periodWindow(period: BudgetPeriod, timeZone: string, at: Date): PeriodWindow {
  if (period === 'total') return { start: epoch, end: null };
  const { y, m, d } = localTime(at.getTime(), timeZone);
  if (period === 'daily') {
    return { start: startOfLocalDay(y, m, d, timeZone), end: startOfLocalDay(y, m, d + 1, timeZone) };
  }
  if (period === 'weekly') {
    const sinceMonday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
    return {
      start: startOfLocalDay(y, m, d - sinceMonday, timeZone),
      end: startOfLocalDay(y, m, d - sinceMonday + 7, timeZone),
    };
  }
  return { start: startOfLocalDay(y, m, 1, timeZone), end: startOfLocalDay(y, m + 1, 1, timeZone) };
}

/** Whether `timeZone` is an IANA time zone name this runtime knows (offsets like "+05:30" are refused). */
export function isTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Windows of many instants in a few zones (ingestion): the last window found per zone and period is reused while
 * the instants fall in it, so a batch costs a handful of Intl calls instead of one per record.
 */
export class PeriodCache {
  readonly #last = new Map<string, PeriodWindow>();

  window(period: BudgetPeriod, timeZone: string, at: Date): PeriodWindow {
    if (period === 'total') return { start: epoch, end: null };
    const key = `${timeZone}\n${period}`;
    const ms = at.getTime();
    const hit = this.#last.get(key);
    if (hit && ms >= hit.start.getTime() && hit.end && ms < hit.end.getTime()) return hit;
    const w = periodWindow(period, timeZone, at);
    this.#last.set(key, w);
    return w;
  }
}
