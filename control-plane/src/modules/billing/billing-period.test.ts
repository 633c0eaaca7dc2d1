// Billing periods follow the anchor day across month and year ends.
import { describe, expect, it } from 'vitest';
import { lastCompletePeriod, namedPeriod } from './billing-period.ts';

const iso = (p: { from: Date; to: Date; label: string | null }) => [p.from.toISOString(), p.to.toISOString(), p.label];

describe('billing periods', () => {
  it('names a period by the month it starts in', () => {
    expect(iso(namedPeriod('2026-11', 1))).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2026-11']);
    expect(iso(namedPeriod('2026-12', 15))).toEqual([
      '2026-12-15T00:00:00.000Z',
      '2027-01-15T00:00:00.000Z',
      '2026-12',
    ]);
    expect(iso(namedPeriod('2027-01', 28))).toEqual([
      '2027-01-28T00:00:00.000Z',
      '2027-02-28T00:00:00.000Z',
      '2027-01',
    ]);
  });

  it('refuses anything but YYYY-MM from 1970-01 to 9998-12', () => {
    // 0000-0099 used to become 1900-1999; 9999-12 used to end in year 10000, which PostgreSQL refuses.
    for (const bad of ['2026-13', '2026-1', '26-11', '2026-11-01', '', '0000-01', '0099-05', '1969-12', '9999-12']) {
      expect(() => namedPeriod(bad, 1)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'period' }));
    }
  });

  it('finds the last complete period before and after the anchor day', () => {
    expect(iso(lastCompletePeriod(new Date('2026-12-02T08:00:00Z'), 1))).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-12-01T00:00:00.000Z',
      '2026-11',
    ]);
    expect(iso(lastCompletePeriod(new Date('2026-12-10T08:00:00Z'), 15))).toEqual([
      '2026-10-15T00:00:00.000Z',
      '2026-11-15T00:00:00.000Z',
      '2026-10',
    ]);
    expect(iso(lastCompletePeriod(new Date('2026-12-15T00:00:00Z'), 15))).toEqual([
      '2026-11-15T00:00:00.000Z',
      '2026-12-15T00:00:00.000Z',
      '2026-11',
    ]);
    expect(iso(lastCompletePeriod(new Date('2027-01-05T00:00:00Z'), 10))).toEqual([
      '2026-11-10T00:00:00.000Z',
      '2026-12-10T00:00:00.000Z',
      '2026-11',
    ]);
  });
});
