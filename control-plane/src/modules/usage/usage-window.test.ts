// The window split covers [from, to) exactly once with the coarsest table that can answer each part.
import { describe, expect, it } from 'vitest';
import { type Segment, segments } from './usage-window.ts';

const d = (s: string) => new Date(s);
const show = (parts: Segment[]) =>
  parts.map(
    (p) => `${p.source} ${p.from?.toISOString().slice(0, 16) ?? '-'} ${p.to?.toISOString().slice(0, 16) ?? '-'}`,
  );

describe('segments', () => {
  it('uses whole days from the daily rollup and the hours around them from the hourly one', () => {
    expect(show(segments(d('2030-01-01T05:00Z'), d('2030-01-04T07:00Z'), { daily: true, raw: false }))).toEqual([
      'hourly 2030-01-01T05:00 2030-01-02T00:00',
      'daily 2030-01-02T00:00 2030-01-04T00:00',
      'hourly 2030-01-04T00:00 2030-01-04T07:00',
    ]);
    expect(show(segments(d('2030-01-01T00:00Z'), d('2030-02-01T00:00Z'), { daily: true, raw: false }))).toEqual([
      'daily 2030-01-01T00:00 2030-02-01T00:00',
    ]);
  });

  it('stays hourly without the daily rollup, or without a whole day inside', () => {
    expect(show(segments(d('2030-01-01T00:00Z'), d('2030-02-01T00:00Z'), { daily: false, raw: false }))).toEqual([
      'hourly 2030-01-01T00:00 2030-02-01T00:00',
    ]);
    expect(show(segments(d('2030-01-01T05:00Z'), d('2030-01-02T04:00Z'), { daily: true, raw: false }))).toEqual([
      'hourly 2030-01-01T05:00 2030-01-02T04:00',
    ]);
  });

  it('reads partial hours raw when allowed, and refuses them otherwise', () => {
    expect(show(segments(d('2030-01-01T05:30Z'), d('2030-01-03T07:15Z'), { daily: true, raw: true }))).toEqual([
      'raw 2030-01-01T05:30 2030-01-01T06:00',
      'hourly 2030-01-01T06:00 2030-01-02T00:00',
      'daily 2030-01-02T00:00 2030-01-03T00:00',
      'hourly 2030-01-03T00:00 2030-01-03T07:00',
      'raw 2030-01-03T07:00 2030-01-03T07:15',
    ]);
    expect(show(segments(d('2030-01-01T05:30Z'), d('2030-01-01T06:10Z'), { daily: true, raw: true }))).toEqual([
      'raw 2030-01-01T05:30 2030-01-01T06:10',
    ]);
    expect(() => segments(d('2030-01-01T05:30Z'), null, { daily: true, raw: false })).toThrow(/whole hours/);
  });

  it('handles open ends and empty windows', () => {
    expect(show(segments(null, null, { daily: true, raw: true }))).toEqual(['daily - -']);
    expect(show(segments(null, d('2030-01-02T03:30Z'), { daily: true, raw: true }))).toEqual([
      'daily - 2030-01-02T00:00',
      'hourly 2030-01-02T00:00 2030-01-02T03:00',
      'raw 2030-01-02T03:00 2030-01-02T03:30',
    ]);
    expect(show(segments(d('2030-01-02T03:30Z'), null, { daily: false, raw: true }))).toEqual([
      'raw 2030-01-02T03:30 2030-01-02T04:00',
      'hourly 2030-01-02T04:00 -',
    ]);
    expect(segments(d('2030-01-02T00:00Z'), d('2030-01-02T00:00Z'), { daily: true, raw: false })).toEqual([]);
  });
});
