// Usage aggregates read from the rollups: one SQL builder for series, top-N, totals and the billing export, which
// picks for each part of the window the smallest table that answers it exactly (see usage-window.ts).
import type { Em } from '../../db/orm.ts';
import type { ListSource } from '../../graphql/sql-list.ts';
import { type Segment, segments } from './usage-window.ts';

export type Dimension = 'org' | 'team' | 'user' | 'key' | 'module' | 'model' | 'provider';
export type Bucket = 'hour' | 'day' | 'month';
export type Metric = 'cost' | 'requests' | 'tokens';

export const dimensionColumn: Record<Dimension, string> = {
  org: 'org_id',
  team: 'team_id',
  user: 'user_id',
  key: 'key_id',
  module: 'module_id',
  model: 'model',
  provider: 'provider',
};

/** What usage_daily_org keeps besides the day. */
const dailyDimensions: ReadonlySet<Dimension> = new Set(['org', 'model', 'provider']);

export type UsageFilterSpec = Partial<Record<Dimension, readonly string[]>>;

/** Which records a query covers: one org (or every org), a [from, to) window (open ends allowed) and a filter. */
export interface UsageScope {
  orgId: string | null;
  from: Date | null;
  to: Date | null;
  filter: UsageFilterSpec;
  /**
   * Let partial hours at the window's ends be read from usage_records (the legacy fields accept any instant).
   * Everything else takes whole hours only and so never touches the raw table.
   */
  raw?: boolean;
}

export interface Sql {
  text: string;
  params: unknown[];
}

/** Sums of the measures: numeric as text from a plain row (nothing rounded on the way), numbers inside JSON. */
export interface MeasureRow {
  requests: string | number | null;
  errors: string | number | null;
  input_tokens: string | number | null;
  output_tokens: string | number | null;
  cached_input_tokens: string | number | null;
  cost_usd: string | number | null;
}

export const measureColumns = [
  'requests',
  'errors',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cost_usd',
] as const;

const sums = measureColumns.map((m) => `sum(${m}) as ${m}`).join(', ');

/** Over aggregated rows. */
const metricOrder: Record<Metric, string> = {
  cost: 'cost_usd',
  requests: 'requests',
  tokens: 'input_tokens + output_tokens',
};

const bucketExpr: Record<Bucket, string> = {
  hour: "date_trunc('hour', t, 'UTC')",
  day: "date_trunc('day', t, 'UTC')",
  month: "date_trunc('month', t, 'UTC')",
};

/** A list parameter, as one JSON value: the raw-query layer would expand a JS array into many parameters. */
const anyOf = (column: string) => `${column} = any(array(select jsonb_array_elements_text(?::jsonb)))`;

function sourceSql(segment: Segment, scope: UsageScope, dims: readonly Dimension[]): Sql {
  const params: unknown[] = [];
  const time = { daily: 'day', hourly: 'hour', raw: 'ts' }[segment.source];
  const table = { daily: 'usage_daily_org', hourly: 'usage_hourly', raw: 'usage_records' }[segment.source];
  const measures =
    segment.source === 'raw'
      ? `1::bigint as requests, (status >= 400)::int::bigint as errors, input_tokens, output_tokens,
         cached_input_tokens, cost_usd`
      : measureColumns.join(', ');
  const where: string[] = [];
  if (scope.orgId !== null) {
    where.push('org_id = ?');
    params.push(scope.orgId);
  }
  if (segment.from) {
    where.push(`${time} >= ?::timestamptz`);
    params.push(segment.from.toISOString());
  }
  if (segment.to) {
    where.push(`${time} < ?::timestamptz`);
    params.push(segment.to.toISOString());
  }
  for (const [dim, values] of Object.entries(scope.filter) as [Dimension, readonly string[]][]) {
    where.push(anyOf(dimensionColumn[dim]));
    params.push(JSON.stringify(values));
  }
  const columns = [`${time} as t`, ...dims.map((d) => dimensionColumn[d]), measures].join(', ');
  return {
    text: `select ${columns} from ${table}${where.length ? ` where ${where.join(' and ')}` : ''}`,
    params,
  };
}

/** The window's parts for a query grouped by `dims` into `bucket` (null: no time buckets). */
export function planSegments(scope: UsageScope, dims: readonly Dimension[], bucket: Bucket | null): Segment[] {
  const needed = [...dims, ...(Object.keys(scope.filter) as Dimension[])];
  const daily = bucket !== 'hour' && needed.every((d) => dailyDimensions.has(d));
  return segments(scope.from, scope.to, { daily, raw: scope.raw ?? false });
}

/**
 * `select [bucket_start,] <dims>, <sums> ... group by ...` over the scope, or null when the window is empty.
 * Dimension columns keep their stored names (org_id, team_id, ...); bucket_start is a timestamptz.
 */
export function aggregateSql(scope: UsageScope, dims: readonly Dimension[], bucket: Bucket | null): Sql | null {
  const parts = planSegments(scope, dims, bucket).map((s) => sourceSql(s, scope, dims));
  if (!parts.length) return null;
  const union = parts.map((p) => p.text).join(' union all ');
  const groups = [...(bucket ? [`${bucketExpr[bucket]}`] : []), ...dims.map((d) => dimensionColumn[d])];
  const select = [...(bucket ? [`${bucketExpr[bucket]} as bucket_start`] : []), ...dims.map((d) => dimensionColumn[d])];
  return {
    text: `select ${[...select, sums].join(', ')} from (${union}) s${groups.length ? ` group by ${groups.join(', ')}` : ''}`,
    params: parts.flatMap((p) => p.params),
  };
}

export interface SeriesRow extends MeasureRow {
  bucket_start: string;
  [column: string]: string | number | null;
}

export interface TopRow extends MeasureRow {
  value: string | null;
}

export class UsageQueries {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** Totals over the scope (zeros when nothing matches). */
  async totals(scope: UsageScope): Promise<MeasureRow> {
    const agg = aggregateSql(scope, [], null);
    if (!agg) return emptyMeasures();
    const [row] = await this.#em.execute<MeasureRow[]>(agg.text, agg.params);
    return row ?? emptyMeasures();
  }

  /** Totals per value of one dimension, best first by `metric`, ties by value; at most `limit` rows. */
  async top(scope: UsageScope, by: Dimension, metric: Metric, limit: number): Promise<TopRow[]> {
    const agg = aggregateSql(scope, [by], null);
    if (!agg) return [];
    const column = dimensionColumn[by];
    return this.#em.execute<TopRow[]>(
      `select ${column} as value, ${measureColumns.join(', ')} from (${agg.text}) a
        order by ${metricOrder[metric]} desc, ${column} collate "C" asc nulls last limit ?`,
      [...agg.params, limit],
    );
  }

  /** Totals per org for every live org (zeros for orgs without usage), ordered by name; `orgId` limits it to one. */
  async byOrg(scope: UsageScope): Promise<(MeasureRow & { org_id: string; org_name: string })[]> {
    const agg = aggregateSql(scope, ['org'], null);
    const params = [...(agg?.params ?? [])];
    let only = '';
    if (scope.orgId !== null) {
      only = ' and o.id::text = ?';
      params.push(scope.orgId);
    }
    return this.#em.execute(
      `select o.id as org_id, o.name as org_name, ${measureColumns.map((m) => `t.${m}`).join(', ')}
         from organizations o
         left join (${agg?.text ?? `select null::text as org_id, ${measureColumns.map((m) => `null::numeric as ${m}`).join(', ')}`}) t
           on t.org_id = o.id::text
        where o.deleted_at is null${only}
        order by o.name, o.id`,
      params,
    );
  }
}

export function emptyMeasures(): MeasureRow {
  return {
    requests: null,
    errors: null,
    input_tokens: null,
    output_tokens: null,
    cached_input_tokens: null,
    cost_usd: null,
  };
}

/**
 * A series as a list of the list engine: points ordered by (bucket_start, the dimensions' values with '' for none),
 * the aggregate read once per page. Null when the window is empty.
 */
export function seriesSource(scope: UsageScope, dims: readonly Dimension[], bucket: Bucket): ListSource | null {
  const agg = aggregateSql(scope, dims, bucket);
  if (!agg) return null;
  return {
    with: { text: `agg as (${agg.text})`, params: agg.params },
    from: 'agg',
    // to_json gives bucket_start as ISO-8601 (raw queries return timestamps as PostgreSQL text).
    columns: `to_json(agg.bucket_start) #>> '{}' as bucket_start, ${[...dims.map((d) => `agg.${dimensionColumn[d]}`), ...measureColumns.map((m) => `agg.${m}`)].join(', ')}`,
    where: [],
    // Bytewise order (COLLATE "C"): the same in every database locale, and what the cursors compare against.
    keys: [
      { expr: 'agg.bucket_start', type: 'timestamptz' },
      ...dims.map((d) => ({ expr: `(coalesce(agg.${dimensionColumn[d]}, '') collate "C")`, type: 'text' as const })),
    ],
  };
}
