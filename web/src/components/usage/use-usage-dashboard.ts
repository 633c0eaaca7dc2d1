// The data of a usage dashboard: totals, the series behind the charts, the top-N table, and live following
// (usageUpdates ticks the totals at once and re-reads everything, debounced) while the window includes now.
import { computed, onScopeDispose, ref, watch } from 'vue';
import { request } from '../../graphql/client';
import type {
  UsageUpdatesSubscription as UpdateResult,
  UsageDimension,
  UsageFilter,
  UsageMetric,
  UsageSeriesQuery,
  UsageSeriesQueryVariables,
} from '../../graphql/generated/graphql';
import { subscribe } from '../../graphql/live';
import {
  UsageSeriesQuery as SeriesDocument,
  UsageTopQuery,
  UsageTotalsQuery,
  UsageUpdatesSubscription,
} from '../../graphql/operations/usage';
import { filterWith } from './usage-dimensions';
import { debounced, updateEffect } from './usage-live';
import { bucketStarts, includesNow, type UsageWindow } from './usage-range';
import { type Amounts, addAmounts, type Pivot, pivot, type SeriesPoint } from './usage-series';
import { useLoader } from './use-loader';

export interface DashboardInput {
  /** One org, or null for every org (platform admins). */
  orgId: string | null;
  window: UsageWindow | null;
  filter: UsageFilter | null;
  dimension: UsageDimension;
  tableMetric: UsageMetric;
  tableLimit: number;
}

/** How many groups each chart shows before "Other". */
export const chartGroups = 6;
/** Pages of 100 points read at most per series; beyond that the charts say they show a part. */
const maxPages = 40;
/** A re-read waits this long for the traffic to pause, but never longer than maxWait under steady traffic. */
const quietMs = 800;
const maxWaitMs = 3_000;
/** While live, a re-read at least this often (updates are not replayed after the socket reconnects). */
const safetyRefreshMs = 60_000;

export interface SeriesResult {
  window: UsageWindow;
  dimension: UsageDimension;
  pivot: Pivot;
  /** The point limit was reached: the charts show the beginning of the window only. */
  truncated: boolean;
  /** Every value with usage is charted, so "Other" is exactly the usage without a value (e.g. keys without a team). */
  restIsNoValue: boolean;
}

export interface TopResult {
  dimension: UsageDimension;
  metric: UsageMetric;
  rows: (Amounts & { value: string | null })[];
}

type SeriesVars = Omit<UsageSeriesQueryVariables, 'first' | 'after'>;

async function readSeries(
  vars: SeriesVars,
  signal: AbortSignal,
): Promise<{ points: SeriesPoint[]; truncated: boolean }> {
  const points: SeriesPoint[] = [];
  let after: string | null = null;
  for (let page = 0; page < maxPages; page += 1) {
    const { usageSeries }: UsageSeriesQuery = await request(SeriesDocument, { ...vars, first: 100, after }, { signal });
    points.push(...usageSeries.nodes);
    if (!usageSeries.pageInfo.hasNextPage || !usageSeries.pageInfo.endCursor) return { points, truncated: false };
    after = usageSeries.pageInfo.endCursor;
  }
  return { points, truncated: true };
}

export function useUsageDashboard(input: () => DashboardInput) {
  const scopeOf = () => {
    const i = input();
    return i.window ? { orgId: i.orgId, from: i.window.from, to: i.window.to, filter: i.filter } : null;
  };

  const totals = useLoader(async (signal): Promise<Amounts> => {
    const scope = scopeOf();
    if (!scope) throw new Error('no window');
    return (await request(UsageTotalsQuery, scope, { signal })).usageTotals;
  });

  const series = useLoader(async (signal): Promise<SeriesResult> => {
    const i = input();
    const scope = scopeOf();
    if (!scope || !i.window) throw new Error('no window');
    const { dimension, window } = i;
    // The groups worth charting are the biggest by cost and by tokens; reading only those keeps the series small
    // however many keys or users the org has, and "Other" is the total minus them.
    const ranked = (metric: UsageMetric) =>
      request(UsageTopQuery, { ...scope, by: dimension, metric, limit: chartGroups }, { signal });
    const [byCost, byTokens, total] = await Promise.all([
      ranked('COST'),
      ranked('TOKENS'),
      readSeries({ ...scope, bucket: window.bucket, groupBy: [] }, signal),
    ]);
    const values = [...new Set([...byCost.usageTop, ...byTokens.usageTop].map((e) => e.value))].filter(
      (v): v is string => v !== null,
    );
    const grouped = values.length
      ? await readSeries(
          {
            ...scope,
            bucket: window.bucket,
            groupBy: [dimension],
            filter: filterWith(scope.filter, dimension, values),
          },
          signal,
        )
      : { points: [], truncated: false };
    return {
      window,
      dimension,
      pivot: pivot(bucketStarts(window), total.points, grouped.points, dimension),
      truncated: total.truncated || grouped.truncated,
      restIsNoValue: byCost.usageTop.length < chartGroups && byCost.usageTop.some((e) => e.value === null),
    };
  });

  const top = useLoader(async (signal): Promise<TopResult> => {
    const i = input();
    const scope = scopeOf();
    if (!scope) throw new Error('no window');
    const { usageTop } = await request(
      UsageTopQuery,
      { ...scope, by: i.dimension, metric: i.tableMetric, limit: i.tableLimit },
      { signal },
    );
    return { dimension: i.dimension, metric: i.tableMetric, rows: usageTop };
  });

  const parts = [totals, series, top];
  const hasWindow = computed(() => input().window !== null);

  function watchPart(part: (typeof parts)[number], key: () => unknown[]): void {
    watch(
      () => JSON.stringify(key()),
      () => (hasWindow.value ? void part.run() : part.clear()),
      { immediate: true },
    );
  }
  const base = () => {
    const i = input();
    return [i.orgId, i.window, i.filter];
  };
  watchPart(totals, base);
  watchPart(series, () => [...base(), input().dimension]);
  watchPart(top, () => [...base(), input().dimension, input().tableMetric, input().tableLimit]);

  function refresh(options: { silent?: boolean } = {}): void {
    if (!hasWindow.value) return;
    for (const p of parts) void p.run(options);
  }

  // Live: only while usage can still arrive in the window.
  const live = computed(() => {
    const w = input().window;
    return w !== null && includesNow(w, Date.now());
  });
  const liveError = ref(false);
  const lastUpdateAt = ref<string | null>(null);
  const reread = debounced(() => refresh({ silent: true }), quietMs, maxWaitMs);

  function onUpdate({ usageUpdates: u }: UpdateResult): void {
    const i = input();
    const effect = updateEffect(u, i.orgId, i.filter);
    if (effect === 'ignore') return;
    liveError.value = false;
    lastUpdateAt.value = u.latestAt;
    if (effect === 'tick' && totals.data.value) totals.data.value = addAmounts(totals.data.value, u);
    reread.schedule();
  }

  let stop: (() => void) | null = null;
  let safety: ReturnType<typeof setInterval> | undefined;
  function unsubscribe(): void {
    stop?.();
    stop = null;
    clearInterval(safety);
    reread.cancel();
  }
  watch(
    () => (live.value ? JSON.stringify([input().orgId]) : null),
    (key) => {
      unsubscribe();
      liveError.value = false;
      if (key === null) return;
      stop = subscribe(UsageUpdatesSubscription, { orgId: input().orgId }, onUpdate, () => (liveError.value = true));
      safety = setInterval(() => refresh({ silent: true }), safetyRefreshMs);
    },
    { immediate: true },
  );
  onScopeDispose(unsubscribe);

  return { totals, series, top, live, liveError, lastUpdateAt, refresh };
}
