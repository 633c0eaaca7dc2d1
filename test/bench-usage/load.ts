// Seeds a fresh control-plane database with synthetic usage generated in SQL, then builds the rollups with the
// aggregation the ingestion trigger applies, so that millions of records load in minutes instead of hours.
import type pg from 'pg';

export interface Shape {
  records: number;
  orgs: number;
  keysPerOrg: number;
  days: number;
  /** First instant of the data (UTC). */
  start: string;
  /** Records per INSERT statement; chunks run `parallel` at a time. */
  chunk: number;
  parallel: number;
}

/** Eight models of three providers, priced per million tokens like real ones (input, cached input, output). */
const models: [name: string, provider: string, input: number, cached: number, output: number][] = [
  ['gpt-4o', 'openai', 2.5, 1.25, 10],
  ['gpt-4o-mini', 'openai', 0.15, 0.075, 0.6],
  ['o3-mini', 'openai', 1.1, 0.55, 4.4],
  ['claude-sonnet', 'anthropic', 3, 0.3, 15],
  ['claude-haiku', 'anthropic', 0.8, 0.08, 4],
  ['mistral-large', 'mistral', 2, 2, 6],
  ['mistral-small', 'mistral', 0.2, 0.2, 0.6],
  ['embed-3-small', 'openai', 0.02, 0.02, 0],
];

/**
 * Orgs, their teams, users and keys as lookup tables, and the orgs as real organizations. Org sizes are skewed
 * (u^1.5: the largest org has about 3% of all traffic), keys within an org too (u^2), as in real tenants.
 */
export async function seedDimensions(db: pg.Pool, shape: Shape): Promise<void> {
  await db.query(
    `insert into organizations (id, name, slug)
     select md5('org' || o)::uuid, 'Bench Org ' || lpad(o::text, 4, '0'), 'bench-org-' || o
       from generate_series(0, $1::int - 1) o`,
    [shape.orgs],
  );
  await db.query(
    `create unlogged table bench_keys as
     select o * $2::int + k as id, k, md5('org' || o)::uuid::text as org_id,
            case when k % 10 = 9 then null else md5('team' || o || '_' || (k % 25) % 5)::uuid::text end as team_id,
            md5('user' || o || '_' || k % 25)::uuid::text as user_id, md5('key' || o || '_' || k)::uuid::text as key_id,
            case when k % 5 = 4 then null else 'module-' || k % 4 end as module_id
       from generate_series(0, $1::int - 1) o, generate_series(0, $2::int - 1) k`,
    [shape.orgs, shape.keysPerOrg],
  );
  await db.query('create unique index on bench_keys (id)');
  await db.query(
    'create unlogged table bench_models (id int primary key, name text, provider text, input numeric, cached numeric, output numeric)',
  );
  for (const [i, m] of models.entries()) {
    await db.query('insert into bench_models values ($1, $2, $3, $4, $5, $6)', [i, ...m]);
  }
}

/** Records [lo, hi]: each key uses mostly one of three models; 2% answered with an error (no cost). */
async function insertChunk(db: pg.Pool, shape: Shape, lo: number, hi: number): Promise<void> {
  await db.query(
    `insert into usage_records (request_id, ts, node_id, org_id, team_id, user_id, key_id, module_id, model, provider,
                                upstream_model, input_tokens, output_tokens, cached_input_tokens, cost_usd, latency_ms,
                                overhead_ms, status, error_code, stream)
     select 'bench_' || r.g, $3::timestamptz + random() * $4::int * interval '1 day', 'dp-' || r.g % 4,
            k.org_id, k.team_id, k.user_id, k.key_id, k.module_id, m.name, m.provider, m.name,
            r.it, r.ot, r.ct,
            case when r.err then 0 else round(((r.it - r.ct) * m.input + r.ct * m.cached + r.ot * m.output) / 1e6, 10) end,
            50 + random() * 2000, random() * 3, case when r.err then 502 else 200 end,
            case when r.err then 'provider_error' end, random() < 0.3
       from (select g, kid, mo, it, ot, floor(random() * it * 0.3)::bigint as ct, err
               from (select g, floor($5::int * pow(random(), 1.5))::int * $6::int + floor($6::int * pow(random(), 2))::int as kid,
                            floor(3 * pow(random(), 2))::int as mo, (50 + floor(random() * 4000))::bigint as it,
                            (10 + floor(random() * 800))::bigint as ot, random() < 0.02 as err
                       from generate_series($1::bigint, $2::bigint) g) a) r
       join bench_keys k on k.id = r.kid
       join bench_models m on m.id = (k.k * 3 + r.mo) % 8`,
    [lo, hi, shape.start, shape.days, shape.orgs, shape.keysPerOrg],
  );
}

export interface Timings {
  [phase: string]: number;
}

async function timed<T>(timings: Timings, phase: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  timings[phase] = (performance.now() - t0) / 1000;
  return out;
}

/**
 * Indexes of a table (their definitions, to recreate them exactly), constraints excluded. The definition of a
 * partitioned table's index reads `ON ONLY` (the parent alone); recreated without it, it covers every partition.
 */
async function indexDefs(db: pg.Pool, table: string): Promise<{ name: string; def: string }[]> {
  const { rows } = await db.query<{ name: string; def: string }>(
    `select i.indexname as name, i.indexdef as def from pg_indexes i
      where i.tablename = $1 and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    [table],
  );
  return rows.map((r) => ({ ...r, def: r.def.replace(' ON ONLY ', ' ON ') }));
}

/**
 * Loads the raw records without indexes or the rollup trigger, then builds usage_hourly and usage_daily_org with
 * the trigger's aggregation (same grouping, same measures) and recreates every index as the migrations define it.
 */
export async function load(db: pg.Pool, shape: Shape, log: (line: string) => void): Promise<Timings> {
  const timings: Timings = {};
  await seedDimensions(db, shape);
  const rawIndexes = await indexDefs(db, 'usage_records');
  const rollupIndexes = [...(await indexDefs(db, 'usage_hourly')), ...(await indexDefs(db, 'usage_daily_org'))];
  // A partition per month of the data, as the control plane makes them (the default partition would take the rest).
  await db.query(
    `select usage_records_ensure_partition(m)
       from generate_series($1::timestamptz, $1::timestamptz + $2::int * interval '1 day', interval '1 month') m`,
    [shape.start, shape.days],
  );
  await db.query('alter table usage_records disable trigger usage_records_rollup_insert');
  await db.query('alter table usage_request_ids drop constraint usage_request_ids_pkey');
  for (const { name } of [...rawIndexes, ...rollupIndexes]) await db.query(`drop index ${name}`);

  await timed(timings, 'raw records', async () => {
    const starts: number[] = [];
    for (let lo = 1; lo <= shape.records; lo += shape.chunk) starts.push(lo);
    let done = 0;
    const worker = async () => {
      for (let lo = starts.shift(); lo !== undefined; lo = starts.shift()) {
        await insertChunk(db, shape, lo, Math.min(lo + shape.chunk - 1, shape.records));
        done += Math.min(shape.chunk, shape.records - lo + 1);
        log(`  ${done.toLocaleString('en')} / ${shape.records.toLocaleString('en')} records`);
      }
    };
    await Promise.all(Array.from({ length: shape.parallel }, worker));
  });
  await timed(timings, 'raw indexes', async () => {
    // The ids ingestion claims (exactly-once), as it would have claimed them record by record.
    await db.query('insert into usage_request_ids (request_id, ts) select request_id, ts from usage_records');
    await db.query('alter table usage_request_ids add primary key (request_id)');
    await Promise.all(rawIndexes.map(({ def }) => db.query(def)));
  });
  await timed(timings, 'rollups', async () => {
    const client = await db.connect();
    try {
      await client.query("set work_mem = '512MB'");
      await client.query(
        `insert into usage_hourly (org_id, hour, key_id, model, team_id, user_id, module_id, provider, requests, errors,
                                   input_tokens, output_tokens, cached_input_tokens, cost_usd)
         select org_id, date_trunc('hour', ts, 'UTC'), key_id, model, team_id, user_id, module_id, provider,
                count(*), count(*) filter (where status >= 400), sum(input_tokens), sum(output_tokens),
                sum(cached_input_tokens), sum(cost_usd)
           from usage_records group by 1, 2, 3, 4, 5, 6, 7, 8`,
      );
      await client.query(
        `insert into usage_daily_org (org_id, day, model, provider, requests, errors, input_tokens, output_tokens,
                                      cached_input_tokens, cost_usd)
         select org_id, date_trunc('day', hour, 'UTC'), model, provider, sum(requests), sum(errors), sum(input_tokens),
                sum(output_tokens), sum(cached_input_tokens), sum(cost_usd)
           from usage_hourly group by 1, 2, 3, 4`,
      );
    } finally {
      client.release();
    }
  });
  await timed(timings, 'rollup indexes', async () => {
    for (const { def } of rollupIndexes) await db.query(def);
  });
  await db.query('alter table usage_records enable trigger usage_records_rollup_insert');
  // Index-only scans need the visibility map that (auto)vacuum maintains; do now what autovacuum would do soon.
  await timed(timings, 'vacuum analyze', async () => {
    await db.query('vacuum (analyze) usage_records, usage_request_ids, usage_hourly, usage_daily_org');
  });
  await db.query('drop table bench_keys, bench_models');
  return timings;
}
