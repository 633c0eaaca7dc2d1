// The dashboard view survives a link or a reload through the query string; bad values fall back to defaults.
import { describe, expect, it } from 'vitest';
import { parseView, type UsageView, viewQuery } from './usage-view';

const defaults: UsageView = {
  preset: 'last7d',
  span: null,
  bucket: null,
  dimension: 'MODEL',
  metric: 'COST',
  limit: 10,
};
const dims = ['TEAM', 'USER', 'KEY', 'MODEL', 'MODULE', 'PROVIDER'] as const;

describe('usage view in the query string', () => {
  it('writes only what differs from the defaults, and reads it back', () => {
    expect(viewQuery(defaults, defaults)).toEqual({});
    const view: UsageView = {
      preset: 'custom',
      span: { start: '2026-10-01', end: '2026-10-31' },
      bucket: 'HOUR',
      dimension: 'KEY',
      metric: 'TOKENS',
      limit: 25,
    };
    const q = viewQuery(view, defaults);
    expect(q).toEqual({
      range: 'custom',
      from: '2026-10-01',
      to: '2026-10-31',
      bucket: 'hour',
      by: 'key',
      rank: 'tokens',
      top: '25',
    });
    expect(parseView(q, [...dims], defaults)).toEqual(view);
  });

  it('ignores unknown values, dimensions the dashboard does not offer, and odd limits', () => {
    const v = parseView({ range: 'forever', by: 'org', rank: 'vibes', top: '7', bucket: 'week' }, [...dims], defaults);
    expect(v).toEqual(defaults);
  });

  it('a custom range without valid dates keeps the default span', () => {
    expect(parseView({ range: 'custom', from: 'x', to: '2026-01-01' }, [...dims], defaults)).toMatchObject({
      preset: 'custom',
      span: null,
    });
  });

  it('takes the first of repeated keys', () => {
    expect(parseView({ by: ['team', 'key'] }, [...dims], defaults).dimension).toBe('TEAM');
  });
});
