// `pnpm --filter @gw/test run bench:usage`: 10 million usage records in a fresh database, a real control plane on
// it, and the time of each usage query shape through HTTP (target: under 200 ms). Not part of the test runs.
import { availableParallelism } from 'node:os';
import { startControlPlane } from '../harness/control-plane.ts';
import { startPostgres } from '../harness/postgres.ts';
import { load, type Shape } from './load.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const shape: Shape = {
  records: env('BENCH_USAGE_RECORDS', 10_000_000),
  orgs: env('BENCH_USAGE_ORGS', 200),
  keysPerOrg: env('BENCH_USAGE_KEYS_PER_ORG', 50),
  days: env('BENCH_USAGE_DAYS', 91),
  start: '2026-09-01T00:00:00Z',
  chunk: 500_000,
  parallel: Math.max(1, Math.min(4, availableParallelism())),
};
const runs = env('BENCH_USAGE_RUNS', 20);
const targetMs = 200;
// The month inside the data (September to November 2026) that every query asks about.
const month = { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z', period: '2026-10' };

const log = (line: string) => console.log(line);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

interface Row {
  shape: string;
  median: number;
  p95: number;
  max: number;
  answer: string;
}

async function main(): Promise<void> {
  const db = await startPostgres({ log: () => {} });
  const cp = await startControlPlane({ databaseUrl: db.url, env: { LOG_LEVEL: 'warn' } });
  try {
    log(
      `loading ${shape.records.toLocaleString('en')} records: ${shape.orgs} orgs x ${shape.keysPerOrg} keys, ${shape.days} days`,
    );
    const timings = await load(db.pool, shape, log);

    const gql = async (query: string, variables: Record<string, unknown>, token = cp.adminToken) => {
      const res = await fetch(cp.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data!;
    };

    // The same code path as data planes, at this scale: one full batch, half of it already held.
    const sample = Array.from({ length: 5000 }, (_, i) => ({
      requestId: i < 2500 ? `bench_${i + 1001}` : `bench_sample_${i}`,
      ts: '2026-10-15T12:34:56Z',
      nodeId: 'dp-sample',
      orgId: 'sample-org',
      teamId: null,
      userId: null,
      keyId: `sample-key-${i % 7}`,
      moduleId: null,
      model: 'gpt-4o-mini',
      provider: 'openai',
      upstreamModel: 'gpt-4o-mini',
      inputTokens: 100,
      outputTokens: 10,
      cachedInputTokens: 0,
      costUsd: 0.000021,
      latencyMs: 100,
      overheadMs: 1,
      status: 200,
      errorCode: null,
      stream: false,
    }));
    const t0 = performance.now();
    const ingested = await gql(
      'mutation($b: JSON!) { ingestUsage(batch: $b) { accepted duplicates } }',
      { b: { records: sample } },
      cp.dataPlaneToken,
    );
    const ingestMs = performance.now() - t0;

    // Exactness at scale: grand totals of each rollup equal the raw table's, and the largest org matches row by row.
    const { rows: totals } = await db.pool.query(`
      select (select count(*) from usage_records) as raw_requests,
             (select sum(requests) from usage_hourly) as hourly_requests,
             (select sum(requests) from usage_daily_org) as daily_requests,
             (select sum(cost_usd) from usage_records) = (select sum(cost_usd) from usage_hourly)
               and (select sum(cost_usd) from usage_records) = (select sum(cost_usd) from usage_daily_org) as cost_equal`);
    const { rows: largest } = await db.pool.query<{ org_id: string; n: string }>(
      'select org_id, sum(requests) as n from usage_daily_org group by 1 order by 2 desc limit 1',
    );
    const org = largest[0].org_id;
    const { rows: mismatch } = await db.pool.query(
      `select count(*)::int as n from (
         (select hour, key_id, model, team_id, user_id, module_id, provider, requests, cost_usd from usage_hourly where org_id = $1
          except all
          select date_trunc('hour', ts, 'UTC'), key_id, model, team_id, user_id, module_id, provider, count(*), sum(cost_usd)
            from usage_records where org_id = $1 group by 1, 2, 3, 4, 5, 6, 7)
         union all
         (select date_trunc('hour', ts, 'UTC'), key_id, model, team_id, user_id, module_id, provider, count(*), sum(cost_usd)
            from usage_records where org_id = $1 group by 1, 2, 3, 4, 5, 6, 7
          except all
          select hour, key_id, model, team_id, user_id, module_id, provider, requests, cost_usd from usage_hourly where org_id = $1)) d`,
      [org],
    );
    // usage_records is partitioned: its figures are the sums over its partitions.
    const { rows: sizes } = await db.pool.query(`
      select t.relname as table, sum(greatest(c.reltuples, 0))::bigint as rows,
             pg_size_pretty(sum(pg_total_relation_size(c.oid))::bigint) as size
        from pg_class t
        join lateral (select relid from pg_partition_tree(t.oid) where isleaf
                      union select t.oid where t.relkind = 'r') leaf on true
        join pg_class c on c.oid = leaf.relid
       where t.relname in ('usage_records', 'usage_request_ids', 'usage_hourly', 'usage_daily_org')
         and t.relkind in ('r', 'p')
       group by t.relname order by t.relname`);
    const { rows: orgRows } = await db.pool.query(
      'select count(*)::int as n from usage_hourly where org_id = $1 and hour >= $2 and hour < $3',
      [org, month.from, month.to],
    );

    const amounts = 'requests errors inputTokens outputTokens cachedInputTokens costUsd';
    const shapes: [string, () => Promise<string>][] = [
      [
        'series: one org, by day, a month',
        async () => {
          const d = await gql(
            `query($o: ID, $f: DateTime!, $t: DateTime!) { usageSeries(orgId: $o, from: $f, to: $t, bucket: DAY, first: 100) {
               totalCount nodes { bucketStart ${amounts} } } }`,
            { o: org, f: month.from, t: month.to },
          );
          return `${(d.usageSeries as { totalCount: number }).totalCount} points`;
        },
      ],
      [
        'series: one org, by day and model',
        async () => {
          const d = await gql(
            `query($o: ID, $f: DateTime!, $t: DateTime!) { usageSeries(orgId: $o, from: $f, to: $t, bucket: DAY, groupBy: [MODEL], first: 100) {
               totalCount nodes { bucketStart model ${amounts} } } }`,
            { o: org, f: month.from, t: month.to },
          );
          return `${(d.usageSeries as { totalCount: number }).totalCount} points`;
        },
      ],
      [
        'series: one org, by hour, a week',
        async () => {
          const d = await gql(
            `query($o: ID, $f: DateTime!, $t: DateTime!) { usageSeries(orgId: $o, from: $f, to: $t, bucket: HOUR, first: 100) {
               totalCount nodes { bucketStart ${amounts} } } }`,
            { o: org, f: '2026-10-05T00:00:00Z', t: '2026-10-12T00:00:00Z' },
          );
          return `${(d.usageSeries as { totalCount: number }).totalCount} points`;
        },
      ],
      [
        'top-10 keys by cost: one org, a month',
        async () => {
          const d = await gql(
            `query($o: ID, $f: DateTime!, $t: DateTime!) { usageTop(orgId: $o, from: $f, to: $t, by: KEY, metric: COST, limit: 10) { value ${amounts} } }`,
            { o: org, f: month.from, t: month.to },
          );
          return `${(d.usageTop as unknown[]).length} keys`;
        },
      ],
      [
        'top-10 users by tokens: one org, a month',
        async () => {
          const d = await gql(
            `query($o: ID, $f: DateTime!, $t: DateTime!) { usageTop(orgId: $o, from: $f, to: $t, by: USER, metric: TOKENS, limit: 10) { value ${amounts} } }`,
            { o: org, f: month.from, t: month.to },
          );
          return `${(d.usageTop as unknown[]).length} users`;
        },
      ],
      [
        'platform-wide: top orgs by cost, a month',
        async () => {
          const d = await gql(
            `query($f: DateTime!, $t: DateTime!) { usageTop(orgId: null, from: $f, to: $t, by: ORG, limit: 100) { value ${amounts} } }`,
            { f: month.from, t: month.to },
          );
          return `${(d.usageTop as unknown[]).length} orgs`;
        },
      ],
      [
        'platform-wide: series by day and org, a month',
        async () => {
          const d = await gql(
            `query($f: DateTime!, $t: DateTime!) { usageSeries(orgId: null, from: $f, to: $t, bucket: DAY, groupBy: [ORG], first: 100) {
               totalCount nodes { bucketStart orgId ${amounts} } } }`,
            { f: month.from, t: month.to },
          );
          return `${(d.usageSeries as { totalCount: number }).totalCount} points`;
        },
      ],
      [
        'platform-wide: usageByOrg, a month',
        async () => {
          const d = await gql(
            `query($f: DateTime, $t: DateTime) { usageByOrg(from: $f, to: $t, first: 100) { totalCount nodes { orgId totals { requests costUsd } } } }`,
            { f: month.from, t: month.to },
          );
          return `${(d.usageByOrg as { totalCount: number }).totalCount} orgs`;
        },
      ],
      [
        'CSV export: one org, a period (HTTP GET)',
        async () => {
          const res = await fetch(`${cp.url}/export/usage.csv?orgId=${org}&period=${month.period}`, {
            headers: { authorization: `Bearer ${cp.adminToken}` },
          });
          const text = await res.text();
          if (res.status !== 200) throw new Error(`CSV export: HTTP ${res.status} ${text}`);
          return `${text.split('\r\n').length - 3} lines`;
        },
      ],
    ];

    const table: Row[] = [];
    for (const [name, run] of shapes) {
      for (let i = 0; i < 3; i++) await run();
      const times: number[] = [];
      let answer = '';
      for (let i = 0; i < runs; i++) {
        const s = performance.now();
        answer = await run();
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      table.push({
        shape: name,
        median: percentile(times, 0.5),
        p95: percentile(times, 0.95),
        max: times.at(-1)!,
        answer,
      });
    }

    log('');
    log(
      'load phases (s): ' +
        Object.entries(timings)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', '),
    );
    log(`tables: ${sizes.map((s) => `${s.table} ${Number(s.rows).toLocaleString('en')} rows (${s.size})`).join('; ')}`);
    log(
      `largest org: ${org}, ${Number(largest[0].n).toLocaleString('en')} records, ${orgRows[0].n.toLocaleString('en')} hourly rollup rows in ${month.period}`,
    );
    log(
      `ingestUsage of 5000 records (2500 already held) through GraphQL: ${ingestMs.toFixed(0)} ms, ${JSON.stringify(ingested.ingestUsage)}`,
    );
    const t = totals[0];
    const exact = t.raw_requests === t.hourly_requests && t.raw_requests === t.daily_requests && t.cost_equal;
    log(
      `rollups equal raw: requests ${t.raw_requests} / ${t.hourly_requests} / ${t.daily_requests}, cost ${t.cost_equal ? 'equal' : 'DIFFERENT'}; ` +
        `largest org row-by-row differences: ${mismatch[0].n}`,
    );
    log('');
    log(`each shape: 3 warm-up runs, then ${runs} timed, end to end over HTTP (target < ${targetMs} ms at p95)`);
    const w = Math.max(...table.map((r) => r.shape.length));
    log(`${'shape'.padEnd(w)}  median ms  p95 ms  max ms  answer`);
    for (const r of table) {
      log(
        `${r.shape.padEnd(w)}  ${r.median.toFixed(1).padStart(9)}  ${r.p95.toFixed(1).padStart(6)}  ${r.max.toFixed(1).padStart(6)}  ${r.answer}${r.p95 < targetMs ? '' : '  <-- over target'}`,
      );
    }
    if (!exact || mismatch[0].n !== 0 || table.some((r) => r.p95 >= targetMs)) process.exitCode = 1;
  } finally {
    await cp.dispose();
    await db.stop();
  }
}

await main();
