// Chart options: one stacked bar series per group with distinct legend names, Other grey, values by metric.
import { describe, expect, it } from 'vitest';
import { chartOption, otherColor, uniqueNames } from './usage-chart';
import { zeroAmounts } from './usage-series';

describe('usage chart option', () => {
  it('keeps legend names distinct', () => {
    expect(uniqueNames(['prod', 'prod', 'dev'], ['k1', 'k2', 'k3'])).toEqual(['prod (k1)', 'prod (k2)', 'dev']);
    expect(uniqueNames(['x', 'x'], [null, null])).toEqual(['x', 'x (2)']);
  });

  it('stacks one series per group, values by the metric, Other grey', () => {
    const a = (costUsd: number, inputTokens: number) => ({ ...zeroAmounts(), costUsd, inputTokens });
    const option = chartOption({
      metric: 'TOKENS',
      bucket: 'DAY',
      buckets: ['2026-11-09T00:00:00.000Z', '2026-11-10T00:00:00.000Z'],
      groups: [
        { value: 'm1', other: false, perBucket: [a(1, 10), a(2, 20)], total: a(3, 30) },
        { value: null, other: true, perBucket: [a(0, 5), a(0, 0)], total: a(0, 5) },
      ],
      nameOf: (g) => (g.other ? 'Other' : String(g.value)),
      title: 'Tokens',
    });
    expect(option.xAxis).toMatchObject({ data: ['Nov 9', 'Nov 10'] });
    const series = option.series as { name: string; stack: string; data: number[]; itemStyle?: { color: string } }[];
    expect(series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ['m1', 'total', [10, 20]],
      ['Other', 'total', [5, 0]],
    ]);
    expect(series[1]?.itemStyle?.color).toBe(otherColor);
  });
});
