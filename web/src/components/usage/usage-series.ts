// Pure shaping of usage answers for charts and exports: points pivoted into one row of amounts per group and
// bucket (empty buckets as zeros), the biggest groups by a metric, and "Other" for the rest of the total.
import type { UsageDimension, UsageMetric } from '../../graphql/generated/graphql';
import { type PointDimensions, pointValue } from './usage-dimensions';

export interface Amounts {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
}

export type SeriesPoint = Amounts & Partial<PointDimensions> & { bucketStart: string };

const amountKeys = ['requests', 'errors', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'costUsd'] as const;

export const zeroAmounts = (): Amounts => ({
  requests: 0,
  errors: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  costUsd: 0,
});

export function addAmounts(a: Amounts, b: Amounts): Amounts {
  const out = zeroAmounts();
  for (const k of amountKeys) out[k] = a[k] + b[k];
  return out;
}

/**
 * a − b, never below zero: the total and its parts come from separate reads, so a request ingested between them
 * (or float rounding of costs) must not show as a negative "Other".
 */
export function subtractAmounts(a: Amounts, b: Amounts): Amounts {
  const out = zeroAmounts();
  for (const k of amountKeys) {
    const d = a[k] - b[k];
    out[k] = d > (k === 'costUsd' ? 1e-12 : 0) ? d : 0;
  }
  return out;
}

/** The value a chart or a ranking uses: provider cost, requests, or input + output tokens (as usageTop counts). */
export function metricOf(a: Amounts, metric: UsageMetric): number {
  if (metric === 'COST') return a.costUsd;
  if (metric === 'REQUESTS') return a.requests;
  return a.inputTokens + a.outputTokens;
}

const isEmpty = (a: Amounts) => amountKeys.every((k) => a[k] === 0);

/** One group's amounts per bucket (same order as the buckets) and over the window. */
export interface GroupSeries {
  /** The dimension's value (an id, a model name); null for records without one. */
  value: string | null;
  /** The rest of the total, outside the groups listed. */
  other: boolean;
  perBucket: Amounts[];
  total: Amounts;
}

export interface Pivot {
  buckets: string[];
  groups: GroupSeries[];
  /** Total − groups per bucket; null when the groups cover the whole total. */
  other: GroupSeries | null;
  total: Amounts[];
}

function perBucket(buckets: string[], points: SeriesPoint[]): Amounts[] {
  const index = new Map(buckets.map((b, i) => [Date.parse(b), i]));
  const out = buckets.map(zeroAmounts);
  for (const p of points) {
    const i = index.get(Date.parse(p.bucketStart));
    if (i !== undefined) out[i] = addAmounts(out[i] as Amounts, p);
  }
  return out;
}

const sum = (list: Amounts[]) => list.reduce(addAmounts, zeroAmounts());

/**
 * `totals`: the ungrouped series; `grouped`: the series grouped by `dimension` (possibly only some of its values).
 * Groups come out biggest first by `metric`.
 */
export function pivot(
  buckets: string[],
  totals: SeriesPoint[],
  grouped: SeriesPoint[],
  dimension: UsageDimension,
  metric: UsageMetric = 'COST',
): Pivot {
  const byValue = new Map<string | null, SeriesPoint[]>();
  for (const p of grouped) {
    const v = pointValue({ ...noDimensions, ...p }, dimension);
    const list = byValue.get(v) ?? [];
    list.push(p);
    byValue.set(v, list);
  }
  const groups: GroupSeries[] = [...byValue].map(([value, points]) => {
    const rows = perBucket(buckets, points);
    return { value, other: false, perBucket: rows, total: sum(rows) };
  });
  groups.sort((a, b) => metricOf(b.total, metric) - metricOf(a.total, metric) || compareValues(a.value, b.value));
  const total = perBucket(buckets, totals);
  return { buckets, groups, other: restOf(total, groups), total };
}

const noDimensions: PointDimensions = {
  orgId: null,
  teamId: null,
  userId: null,
  keyId: null,
  moduleId: null,
  model: null,
  provider: null,
};

function compareValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function restOf(total: Amounts[], groups: GroupSeries[]): GroupSeries | null {
  const rows = total.map((t, i) => subtractAmounts(t, sum(groups.map((g) => g.perBucket[i] as Amounts))));
  return rows.every(isEmpty) ? null : { value: null, other: true, perBucket: rows, total: sum(rows) };
}

/** The `max` biggest groups by `metric`, then one "Other" group holding everything else of the total. */
export function topGroups(p: Pivot, metric: UsageMetric, max: number): GroupSeries[] {
  const ranked = [...p.groups]
    .filter((g) => metricOf(g.total, metric) > 0)
    .sort((a, b) => metricOf(b.total, metric) - metricOf(a.total, metric) || compareValues(a.value, b.value));
  const shown = ranked.slice(0, max);
  const other = restOf(p.total, shown);
  return other && metricOf(other.total, metric) > 0 ? [...shown, other] : shown;
}

/**
 * The groups the charts show together: the `max` biggest by each metric (in the pivot's order), then "Other" for
 * the rest of the total. Exports list exactly these.
 */
export function chartedGroups(p: Pivot, metrics: UsageMetric[], max: number): GroupSeries[] {
  const chosen = new Set<GroupSeries>();
  for (const metric of metrics) for (const g of topGroups(p, metric, max)) if (!g.other) chosen.add(g);
  const shown = p.groups.filter((g) => chosen.has(g));
  const other = restOf(p.total, shown);
  return other ? [...shown, other] : shown;
}
