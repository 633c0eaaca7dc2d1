// Presets become whole-hour UTC windows with a bucket that suits their length; custom dates and bucket choices
// stay within what the API accepts.
import { describe, expect, it } from 'vitest';
import {
  allowedBuckets,
  bucketStarts,
  dayMs,
  defaultBucket,
  includesNow,
  presetRange,
  usageWindow,
} from './usage-range';

// Tuesday 2026-11-10 14:25:30 UTC
const now = Date.UTC(2026, 10, 10, 14, 25, 30);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

describe('usage windows', () => {
  it('last 24 h: 24 whole hours up to the end of the current hour, hourly', () => {
    expect(usageWindow('last24h', now)).toEqual({
      from: '2026-11-09T15:00:00.000Z',
      to: '2026-11-10T15:00:00.000Z',
      bucket: 'HOUR',
    });
  });

  it('last 7 and 30 days: today so far and the whole UTC days before it, daily', () => {
    expect(usageWindow('last7d', now)).toEqual({
      from: '2026-11-04T00:00:00.000Z',
      to: '2026-11-10T15:00:00.000Z',
      bucket: 'DAY',
    });
    expect(usageWindow('last30d', now)).toMatchObject({ from: '2026-10-12T00:00:00.000Z', bucket: 'DAY' });
  });

  it('this month runs to now, last month is the whole previous UTC month (across a year end too)', () => {
    expect(usageWindow('thisMonth', now)).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-10T15:00:00.000Z',
      bucket: 'DAY',
    });
    expect(usageWindow('lastMonth', now)).toEqual({
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      bucket: 'DAY',
    });
    const january = Date.UTC(2027, 0, 5, 3);
    expect(presetRange('lastMonth', january)).toEqual({ from: Date.UTC(2026, 11, 1), to: Date.UTC(2027, 0, 1) });
  });

  it('on a whole hour the current hour is still included', () => {
    const onTheHour = Date.UTC(2026, 10, 10, 14);
    expect(iso(presetRange('last24h', onTheHour)?.to)).toBe('2026-11-10T15:00:00.000Z');
  });

  it('custom: whole UTC days, the last one included; bucket by length', () => {
    expect(usageWindow('custom', now, { start: '2026-11-03', end: '2026-11-03' })).toEqual({
      from: '2026-11-03T00:00:00.000Z',
      to: '2026-11-04T00:00:00.000Z',
      bucket: 'HOUR',
    });
    expect(usageWindow('custom', now, { start: '2026-01-01', end: '2026-11-09' })?.bucket).toBe('MONTH');
    expect(usageWindow('custom', now, { start: '2026-09-01', end: '2026-10-31' })?.bucket).toBe('DAY');
  });

  it('custom: nothing for a missing, reversed, invalid or too long span', () => {
    expect(usageWindow('custom', now)).toBeNull();
    expect(usageWindow('custom', now, { start: '2026-11-05', end: '2026-11-04' })).toBeNull();
    expect(usageWindow('custom', now, { start: '2026-02-30', end: '2026-03-04' })).toBeNull();
    expect(usageWindow('custom', now, { start: 'yesterday', end: '2026-03-04' })).toBeNull();
    expect(usageWindow('custom', now, { start: '2000-01-01', end: '2026-01-01' })).toBeNull();
  });

  it('a chosen bucket is used when the API allows it for the length, else the default', () => {
    expect(usageWindow('last7d', now, null, 'HOUR')?.bucket).toBe('HOUR');
    expect(usageWindow('last7d', now, null, 'MONTH')?.bucket).toBe('MONTH');
    // 40 days of hours is beyond the API's 31.
    expect(usageWindow('custom', now, { start: '2026-09-01', end: '2026-10-10' }, 'HOUR')?.bucket).toBe('DAY');
  });

  it('allowed and default buckets follow the API limits', () => {
    expect(allowedBuckets(31 * dayMs)).toEqual(['HOUR', 'DAY', 'MONTH']);
    expect(allowedBuckets(32 * dayMs)).toEqual(['DAY', 'MONTH']);
    expect(allowedBuckets(367 * dayMs)).toEqual(['MONTH']);
    expect(defaultBucket(dayMs)).toBe('HOUR');
    expect(defaultBucket(7 * dayMs)).toBe('DAY');
    expect(defaultBucket(200 * dayMs)).toBe('MONTH');
  });

  it('follows live only while the window ends after now', () => {
    expect(includesNow({ to: '2026-11-10T15:00:00.000Z' }, now)).toBe(true);
    expect(includesNow({ to: '2026-11-01T00:00:00.000Z' }, now)).toBe(false);
  });

  it('lists every bucket start of the window, the partial first one from its UTC start', () => {
    expect(bucketStarts({ from: '2026-11-10T12:00:00.000Z', to: '2026-11-10T15:00:00.000Z', bucket: 'HOUR' })).toEqual([
      '2026-11-10T12:00:00.000Z',
      '2026-11-10T13:00:00.000Z',
      '2026-11-10T14:00:00.000Z',
    ]);
    expect(bucketStarts({ from: '2026-11-08T15:00:00.000Z', to: '2026-11-10T15:00:00.000Z', bucket: 'DAY' })).toEqual([
      '2026-11-08T00:00:00.000Z',
      '2026-11-09T00:00:00.000Z',
      '2026-11-10T00:00:00.000Z',
    ]);
    expect(bucketStarts({ from: '2026-11-15T00:00:00.000Z', to: '2027-02-01T00:00:00.000Z', bucket: 'MONTH' })).toEqual(
      ['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    );
  });
});
