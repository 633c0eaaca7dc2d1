// A dashboard's view (period, bucket, breakdown, ranking) kept in the page's query string, so a link or a reload
// shows the same view. Only values that differ from the defaults are written; unknown or invalid ones are ignored.
import type { UsageBucket, UsageDimension, UsageMetric } from '../../graphql/generated/graphql';
import type { DateSpan, RangePreset } from './usage-range';

export interface UsageView {
  preset: RangePreset;
  span: DateSpan | null;
  bucket: UsageBucket | null;
  dimension: UsageDimension;
  metric: UsageMetric;
  limit: number;
}

export type QueryValue = string | null | (string | null)[] | undefined;

const presets: RangePreset[] = ['last24h', 'last7d', 'last30d', 'thisMonth', 'lastMonth', 'custom'];
const bucketValues: UsageBucket[] = ['HOUR', 'DAY', 'MONTH'];
const metrics: UsageMetric[] = ['COST', 'REQUESTS', 'TOKENS'];
export const limits = [10, 25, 50, 100];
const date = /^\d{4}-\d{2}-\d{2}$/;

const one = (v: QueryValue): string | undefined => {
  const s = Array.isArray(v) ? v[0] : v;
  return s ?? undefined;
};
const pick = <T extends string>(v: QueryValue, allowed: readonly T[]): T | undefined => {
  const s = one(v)?.toUpperCase();
  return allowed.find((a) => a.toUpperCase() === s);
};

/** The view a query string asks for, each value checked against what the dashboard offers. */
export function parseView(
  query: Record<string, QueryValue>,
  dimensions: UsageDimension[],
  defaults: UsageView,
): UsageView {
  const preset = pick(query.range, presets) ?? defaults.preset;
  const from = one(query.from);
  const to = one(query.to);
  const span = preset === 'custom' && from && to && date.test(from) && date.test(to) ? { start: from, end: to } : null;
  const limit = Number(one(query.top));
  return {
    preset,
    span: span ?? (preset === 'custom' ? defaults.span : null),
    bucket: pick(query.bucket, bucketValues) ?? null,
    dimension: pick(query.by, dimensions) ?? defaults.dimension,
    metric: pick(query.rank, metrics) ?? defaults.metric,
    limit: limits.includes(limit) ? limit : defaults.limit,
  };
}

/** The query string of a view: the values that differ from the defaults, lower-case. */
export function viewQuery(view: UsageView, defaults: UsageView): Record<string, string> {
  const q: Record<string, string> = {};
  if (view.preset !== defaults.preset) q.range = view.preset;
  if (view.preset === 'custom' && view.span) {
    q.from = view.span.start;
    q.to = view.span.end;
  }
  if (view.bucket) q.bucket = view.bucket.toLowerCase();
  if (view.dimension !== defaults.dimension) q.by = view.dimension.toLowerCase();
  if (view.metric !== defaults.metric) q.rank = view.metric.toLowerCase();
  if (view.limit !== defaults.limit) q.top = String(view.limit);
  return q;
}

/** The query keys a view owns (the page's other keys are kept as they are). */
export const viewKeys = ['range', 'from', 'to', 'bucket', 'by', 'rank', 'top'];
