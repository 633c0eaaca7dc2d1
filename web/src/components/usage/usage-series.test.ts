// Points become per-group rows over every bucket of the window; charts keep the biggest groups and fold the rest of
// the total into "Other", which never goes negative.
import { describe, expect, it } from 'vitest';
import {
  chartedGroups,
  metricOf,
  pivot,
  type SeriesPoint,
  subtractAmounts,
  topGroups,
  zeroAmounts,
} from './usage-series';

const buckets = ['2026-11-10T12:00:00.000Z', '2026-11-10T13:00:00.000Z', '2026-11-10T14:00:00.000Z'];
const pt = (bucket: number, amounts: Partial<SeriesPoint>): SeriesPoint => ({
  ...zeroAmounts(),
  bucketStart: buckets[bucket] as string,
  ...amounts,
});

describe('usage series', () => {
  // Total: 10 requests; groups read: model a (6), model b (3); one request has no model match in the read.
  const totals = [
    pt(0, { requests: 4, costUsd: 0.4, inputTokens: 40 }),
    pt(2, { requests: 6, costUsd: 0.6, inputTokens: 60 }),
  ];
  const grouped = [
    pt(0, { model: 'a', requests: 2, costUsd: 0.2, inputTokens: 20 }),
    pt(0, { model: 'b', requests: 1, costUsd: 0.1, inputTokens: 10 }),
    pt(2, { model: 'a', requests: 4, costUsd: 0.4, inputTokens: 40 }),
    pt(2, { model: 'b', requests: 2, costUsd: 0.2, inputTokens: 20 }),
  ];

  it('pivots into one row per group over every bucket (empty buckets zero), biggest first', () => {
    const p = pivot(buckets, totals, grouped, 'MODEL');
    expect(p.groups.map((g) => g.value)).toEqual(['a', 'b']);
    expect(p.groups[0]?.perBucket.map((a) => a.requests)).toEqual([2, 0, 4]);
    expect(p.groups[0]?.total.requests).toBe(6);
    expect(p.total.map((a) => a.requests)).toEqual([4, 0, 6]);
    // The request outside the groups read is "Other".
    expect(p.other?.perBucket.map((a) => a.requests)).toEqual([1, 0, 0]);
  });

  it('matches bucket starts whatever their ISO spelling', () => {
    const p = pivot(buckets, [{ ...zeroAmounts(), bucketStart: '2026-11-10T13:00:00Z', requests: 5 }], [], 'MODEL');
    expect(p.total.map((a) => a.requests)).toEqual([0, 5, 0]);
  });

  it('top groups by a metric, then Other with the rest of the total', () => {
    const p = pivot(buckets, totals, grouped, 'MODEL');
    const top1 = topGroups(p, 'COST', 1);
    expect(top1.map((g) => (g.other ? 'Other' : g.value))).toEqual(['a', 'Other']);
    expect(top1[1]?.total.requests).toBe(4);
    expect(top1[1]?.total.costUsd).toBeCloseTo(0.4);
    // Everything shown: no Other beyond the part the groups did not cover.
    expect(topGroups(p, 'COST', 5).map((g) => (g.other ? 'Other' : g.value))).toEqual(['a', 'b', 'Other']);
  });

  it('charted groups: the union of each metric’s top, in pivot order, then Other', () => {
    const tokensHeavy = [...grouped, pt(1, { model: 'c', inputTokens: 1000, requests: 0 })];
    const tot = [...totals, pt(1, { inputTokens: 1000 })];
    const p = pivot(buckets, tot, tokensHeavy, 'MODEL');
    const shown = chartedGroups(p, ['COST', 'TOKENS'], 1);
    expect(shown.map((g) => (g.other ? 'Other' : g.value))).toEqual(['a', 'c', 'Other']);
    const sum = shown.reduce((s, g) => s + g.total.requests, 0);
    expect(sum).toBe(10);
  });

  it('Other never goes negative (the parts read a moment after the total)', () => {
    expect(subtractAmounts({ ...zeroAmounts(), requests: 3 }, { ...zeroAmounts(), requests: 5 }).requests).toBe(0);
    const p = pivot(buckets, [pt(0, { requests: 1 })], [pt(0, { model: 'a', requests: 2 })], 'MODEL');
    expect(p.other).toBeNull();
  });

  it('tokens are input + output, as usageTop ranks them', () => {
    expect(metricOf({ ...zeroAmounts(), inputTokens: 3, outputTokens: 4, cachedInputTokens: 2 }, 'TOKENS')).toBe(7);
  });

  it('keeps records without a value as their own group', () => {
    const p = pivot(
      buckets,
      [pt(0, { requests: 3 })],
      [pt(0, { teamId: null, requests: 2 }), pt(0, { teamId: 't1', requests: 1 })],
      'TEAM',
      'REQUESTS',
    );
    expect(p.groups.map((g) => g.value)).toEqual([null, 't1']);
    expect(p.other).toBeNull();
  });
});
