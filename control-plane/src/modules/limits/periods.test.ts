// Budget periods in an org's time zone: calendar boundaries in local time, across daylight saving changes.
import { describe, expect, it } from 'vitest';
import { isTimeZone, PeriodCache, periodWindow } from './periods.ts';

const w = (period: 'daily' | 'weekly' | 'monthly' | 'total', tz: string, at: string) => {
  const r = periodWindow(period, tz, new Date(at));
  return [r.start.toISOString(), r.end?.toISOString() ?? null];
};

describe('budget periods', () => {
  it('UTC: day, Monday-based week, month, total', () => {
    expect(w('daily', 'UTC', '2030-01-02T13:00:00Z')).toEqual(['2030-01-02T00:00:00.000Z', '2030-01-03T00:00:00.000Z']);
    // 2030-01-02 is a Wednesday; the week started on Monday 2029-12-31.
    expect(w('weekly', 'UTC', '2030-01-02T13:00:00Z')).toEqual([
      '2029-12-31T00:00:00.000Z',
      '2030-01-07T00:00:00.000Z',
    ]);
    expect(w('weekly', 'UTC', '2029-12-31T00:00:00Z')[0]).toBe('2029-12-31T00:00:00.000Z');
    expect(w('weekly', 'UTC', '2030-01-06T23:59:59Z')[0]).toBe('2029-12-31T00:00:00.000Z');
    expect(w('monthly', 'UTC', '2030-12-31T23:59:59Z')).toEqual([
      '2030-12-01T00:00:00.000Z',
      '2031-01-01T00:00:00.000Z',
    ]);
    expect(w('total', 'UTC', '2030-12-31T23:59:59Z')).toEqual(['1970-01-01T00:00:00.000Z', null]);
  });

  it('Europe/Berlin across both daylight saving changes', () => {
    // Spring forward on Sunday 2030-03-31 (02:00 CET -> 03:00 CEST): that day is 23 hours long.
    expect(w('daily', 'Europe/Berlin', '2030-03-31T12:00:00Z')).toEqual([
      '2030-03-30T23:00:00.000Z',
      '2030-03-31T22:00:00.000Z',
    ]);
    // Fall back on Sunday 2030-10-27 (03:00 CEST -> 02:00 CET): 25 hours.
    expect(w('daily', 'Europe/Berlin', '2030-10-27T12:00:00Z')).toEqual([
      '2030-10-26T22:00:00.000Z',
      '2030-10-27T23:00:00.000Z',
    ]);
    // The week of the spring change starts in winter time and ends in summer time.
    expect(w('weekly', 'Europe/Berlin', '2030-03-31T12:00:00Z')).toEqual([
      '2030-03-24T23:00:00.000Z',
      '2030-03-31T22:00:00.000Z',
    ]);
    expect(w('monthly', 'Europe/Berlin', '2030-03-31T21:59:59Z')).toEqual([
      '2030-02-28T23:00:00.000Z',
      '2030-03-31T22:00:00.000Z',
    ]);
    // Just after local midnight on April 1st is already April.
    expect(w('monthly', 'Europe/Berlin', '2030-03-31T22:00:00Z')[0]).toBe('2030-03-31T22:00:00.000Z');
  });

  it('Asia/Kolkata (+05:30)', () => {
    expect(w('daily', 'Asia/Kolkata', '2030-01-01T18:29:59Z')).toEqual([
      '2029-12-31T18:30:00.000Z',
      '2030-01-01T18:30:00.000Z',
    ]);
    expect(w('daily', 'Asia/Kolkata', '2030-01-01T18:30:00Z')[0]).toBe('2030-01-01T18:30:00.000Z');
    expect(w('monthly', 'Asia/Kolkata', '2030-01-31T18:30:00Z')[0]).toBe('2030-01-31T18:30:00.000Z');
  });

  it('America/New_York, also on the days the clocks change', () => {
    expect(w('daily', 'America/New_York', '2030-01-15T03:00:00Z')).toEqual([
      '2030-01-14T05:00:00.000Z',
      '2030-01-15T05:00:00.000Z',
    ]);
    // 2030-03-10: 02:00 EST -> 03:00 EDT.
    expect(w('daily', 'America/New_York', '2030-03-10T12:00:00Z')).toEqual([
      '2030-03-10T05:00:00.000Z',
      '2030-03-11T04:00:00.000Z',
    ]);
    // 2030-11-03: 02:00 EDT -> 01:00 EST.
    expect(w('daily', 'America/New_York', '2030-11-03T12:00:00Z')).toEqual([
      '2030-11-03T04:00:00.000Z',
      '2030-11-04T05:00:00.000Z',
    ]);
    expect(w('weekly', 'America/New_York', '2030-11-03T12:00:00Z')).toEqual([
      '2030-10-28T04:00:00.000Z',
      '2030-11-04T05:00:00.000Z',
    ]);
  });

  it('a zone whose clocks jump at midnight starts the day where the gap ends', () => {
    // America/Santiago springs forward at 24:00 (2030-09-08 00:00 -04 becomes 01:00 -03).
    const [start] = w('daily', 'America/Santiago', '2030-09-08T12:00:00Z');
    expect(start).toBe('2030-09-08T04:00:00.000Z');
  });

  it('reuses windows for instants inside them', () => {
    const cache = new PeriodCache();
    const a = cache.window('daily', 'Asia/Kolkata', new Date('2030-01-01T10:00:00Z'));
    expect(cache.window('daily', 'Asia/Kolkata', new Date('2030-01-01T18:00:00Z'))).toBe(a);
    expect(cache.window('daily', 'Asia/Kolkata', new Date('2030-01-01T19:00:00Z')).start.toISOString()).toBe(
      '2030-01-01T18:30:00.000Z',
    );
  });

  it.each([
    ['UTC', true],
    ['Europe/Berlin', true],
    ['Asia/Kolkata', true],
    ['Mars/Olympus', false],
    ['+05:30', false],
    ['', false],
  ])('isTimeZone(%j) is %s', (tz, ok) => {
    expect(isTimeZone(tz)).toBe(ok);
  });
});
