// The ECharts option of a usage chart: one stacked bar per bucket, a series per group (the biggest first, "Other"
// grey and last), axis and tooltip numbers formatted like the rest of the dashboard.
import type { BarSeriesOption } from 'echarts/charts';
import type {
  AriaComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import type { UsageBucket, UsageMetric } from '../../graphql/generated/graphql';
import { bucketLabel, formatCompact, formatCost, formatCostAxis, formatCount } from './usage-format';
import { type GroupSeries, metricOf } from './usage-series';

export type UsageChartOption = ComposeOption<
  BarSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | AriaComponentOption
>;

export const otherColor = '#adb5bd';

/** Legend names must differ (ECharts merges equal ones): a repeated name gets its value, then a number. */
export function uniqueNames(names: string[], values: (string | null)[]): string[] {
  const seen = new Map<string, number>();
  for (const n of names) seen.set(n, (seen.get(n) ?? 0) + 1);
  const used = new Set<string>();
  return names.map((n, i) => {
    let name = (seen.get(n) ?? 0) > 1 && values[i] ? `${n} (${values[i]})` : n;
    for (let k = 2; used.has(name); k += 1) name = `${n} (${k})`;
    used.add(name);
    return name;
  });
}

export function chartOption(args: {
  metric: UsageMetric;
  bucket: UsageBucket;
  buckets: string[];
  groups: GroupSeries[];
  nameOf: (g: GroupSeries) => string;
  title: string;
}): UsageChartOption {
  const { metric, bucket, buckets, groups } = args;
  const format = metric === 'COST' ? formatCost : formatCount;
  const names = uniqueNames(
    groups.map(args.nameOf),
    groups.map((g) => g.value),
  );
  return {
    aria: { enabled: true, label: { description: `${args.title}, per ${bucket.toLowerCase()}, stacked by group.` } },
    animationDuration: 300,
    // 'same': the axis labels count inside the grid's box, so none is cut off at the edges.
    grid: { left: 8, right: 12, top: 40, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    legend: { type: 'scroll', top: 0, left: 0, right: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 12 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      valueFormatter: (v) => format(Number(v)),
    },
    xAxis: {
      type: 'category',
      data: buckets.map((b) => bucketLabel(b, bucket)),
      axisTick: { alignWithLabel: true },
    },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: (v: number) => (metric === 'COST' ? formatCostAxis(v) : formatCompact(v)) },
      splitLine: { lineStyle: { color: '#eef0f3' } },
    },
    series: groups.map((g, i) => ({
      type: 'bar',
      name: names[i],
      stack: 'total',
      barMaxWidth: 36,
      emphasis: { focus: 'series' },
      data: g.perBucket.map((a) => metricOf(a, metric)),
      ...(g.other ? { itemStyle: { color: otherColor } } : {}),
    })),
  };
}
