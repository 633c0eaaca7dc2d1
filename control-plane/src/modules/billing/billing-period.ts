// Monthly billing periods that start on an org's anchor day (UTC midnight), named by the month they start in.
import { badInput } from '../../errors.ts';

export interface Period {
  from: Date;
  to: Date;
  /** `YYYY-MM` of the month the period starts in; null for an explicit from/to window. */
  label: string | null;
}

const periodPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Named periods start from 1970-01 (before any usage) up to 9998-12 (which still ends inside year 9999). */
const firstYear = 1970;
const lastYear = 9998;

function start(year: number, monthIndex: number, anchorDay: number): Date {
  return new Date(Date.UTC(year, monthIndex, anchorDay));
}

function labelOf(d: Date): string {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The period `YYYY-MM`: from the anchor day of that month to the anchor day of the next. */
export function namedPeriod(label: string, anchorDay: number, field = 'period'): Period {
  const m = periodPattern.exec(label);
  if (!m) throw badInput(field, `${field} must be a month as YYYY-MM, e.g. 2026-11`);
  const year = Number(m[1]);
  // Date.UTC would also read years 0000-0099 as 1900-1999.
  if (year < firstYear || year > lastYear) {
    throw badInput(field, `${field} must be a month from ${firstYear}-01 to ${lastYear}-12`);
  }
  const month = Number(m[2]) - 1;
  return { from: start(year, month, anchorDay), to: start(year, month + 1, anchorDay), label };
}

/** The latest period that has ended by `now`. */
export function lastCompletePeriod(now: Date, anchorDay: number): Period {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  // The period running now started this month if the anchor day has come, else last month.
  const currentStart =
    now.getTime() >= start(y, m, anchorDay).getTime() ? start(y, m, anchorDay) : start(y, m - 1, anchorDay);
  const from = start(currentStart.getUTCFullYear(), currentStart.getUTCMonth() - 1, anchorDay);
  return { from, to: currentStart, label: labelOf(from) };
}
