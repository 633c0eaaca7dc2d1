// `pnpm bench:ingest`: usage ingestion at a fleet's rate (issue 9). Several data planes' worth of usage batches are
// offered in parallel at a fixed rate to one control plane on a fresh database (rollups maintained by their
// triggers): records stored per second, the lag from a record's time to its batch being stored, and how far
// GraphQL usage (usageTotals) trails what was stored. Exits 0 whatever the figures (1 only when the run fails).
import { runBenchmark, writeRawFigures } from '../bench/outcome.ts';
import { cpuSeconds, summarize } from '../bench/stats.ts';
import { startControlPlane } from '../harness/control-plane.ts';
import { gqlClient } from '../harness/gql.ts';
import { startPostgres } from '../harness/postgres.ts';
import { Teardown } from '../harness/teardown.ts';
import { runSender, type SenderResult } from './senders.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const rate = env('BENCH_INGEST_RATE', 20_000);
const senders = env('BENCH_INGEST_SENDERS', 4);
const seconds = env('BENCH_INGEST_SECONDS', 30);
const batchSize = env('BENCH_INGEST_BATCH', 500);
const flushMs = 1_000;
// With a budget on the org (the default), every batch also feeds the budget ledger in its transaction.
const withBudget = process.env.BENCH_INGEST_BUDGET !== '0';
const targets = { recordsPerSecond: 20_000, visibleLagMs: 5_000 };
const log = (line = '') => console.log(line);
const f = (v: number, d = 0) => (Number.isFinite(v) ? v.toLocaleString('en', { maximumFractionDigits: d }) : '—');

async function main(): Promise<void> {
  const teardown = new Teardown();
  try {
    const db = teardown.add(await startPostgres(), (d) => d.stop(), 'postgres');
    const cp = teardown.add(
      await startControlPlane({
        databaseUrl: db.url,
        name: 'ingest-control-plane',
        env: {
          LOG_LEVEL: 'warn',
          // e.g. "--cpu-prof --cpu-prof-dir=/tmp/cp-prof" to profile the control plane (written when it stops).
          ...(process.env.BENCH_INGEST_CP_NODE_OPTIONS
            ? { NODE_OPTIONS: process.env.BENCH_INGEST_CP_NODE_OPTIONS }
            : {}),
        },
      }),
      (c) => c.dispose(),
      'control plane',
    );
    const admin = gqlClient(cp.graphqlUrl, cp.adminToken);
    const { createOrganization: org } = await admin<{ createOrganization: { id: string } }>(
      'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      { input: { name: 'Ingest Bench', ...(withBudget ? { limits: { budgets: { monthly: '9000000' } } } : {}) } },
    );
    // usageTotals reads the hourly rollups: whole UTC hours around the run.
    const hour = 3_600_000;
    const from = new Date(Math.floor(Date.now() / hour) * hour - hour).toISOString();
    const to = new Date(Math.floor(Date.now() / hour) * hour + 24 * hour).toISOString();
    const visible = async () =>
      (
        await admin<{ usageTotals: { requests: number } }>(
          'query ($o: ID, $f: DateTime!, $t: DateTime!) { usageTotals(orgId: $o, from: $f, to: $t) { requests } }',
          { o: org.id, f: from, t: to },
        )
      ).usageTotals.requests;

    log(
      `Offering ${f(rate)} usage records/s from ${senders} senders for ${seconds} s (batches of ≤ ${batchSize}), ` +
        `${withBudget ? 'with' : 'without'} an org budget…`,
    );
    const cpu0 = cpuSeconds(cp.process.pid!);
    const start = Date.now();
    const results: SenderResult[] = [];
    const running = Array.from({ length: senders }, (_, i) =>
      runSender({
        graphqlUrl: cp.graphqlUrl,
        dataPlaneToken: cp.dataPlaneToken,
        orgId: org.id,
        rate: rate / senders,
        batchSize,
        flushMs,
        durationMs: seconds * 1000,
        drainMs: 60_000,
        nodeId: `bench-dp-${i + 1}`,
      }).then((r) => results.push(r)),
    );
    // GraphQL probes once a second: how many records usage shows, against how many were stored by then.
    const probes: { at: number; visible: number }[] = [];
    let done = false;
    const probing = (async () => {
      while (!done) {
        await new Promise((r) => setTimeout(r, 1_000));
        probes.push({ at: Date.now(), visible: await visible() });
      }
    })();
    await Promise.all(running);
    done = true;
    await probing;
    const end = Math.max(...results.flatMap((r) => r.acks.map(([at]) => at)), start + 1);
    const cpuS = cpuSeconds(cp.process.pid!) - cpu0;

    const accepted = results.reduce((n, r) => n + r.accepted, 0);
    const offered = results.reduce((n, r) => n + r.offered, 0);
    const unsent = results.reduce((n, r) => n + r.unsent, 0);
    const failedBatches = results.reduce((n, r) => n + r.failedBatches, 0);
    const rejected = results.reduce((n, r) => n + r.rejected, 0);
    const duplicates = results.reduce((n, r) => n + r.duplicates, 0);
    const lags = results.flatMap((r) => Array.from(r.lagsMs));
    const lag = summarize(lags);
    // The first records are handed over one flush interval after the start (as a data plane's batcher does).
    const storedPerSecond = accepted / ((end - start - flushMs) / 1000);
    // How long GraphQL trailed storage: per probe, the time since the stored count first reached what it showed.
    const acks = results.flatMap((r) => r.acks).sort((a, b) => a[0] - b[0]);
    let trail = 0;
    for (const p of probes) {
      let storedBy = 0;
      for (const [at, n] of acks) {
        if (at > p.at) break;
        storedBy += n;
        if (storedBy >= p.visible) {
          trail = Math.max(trail, p.at - at);
          break;
        }
      }
    }
    const finalVisible = await visible();

    log('\n===== usage ingestion benchmark =====');
    log(`offered ${f(offered)} records (${f(rate)}/s for ${seconds} s) from ${senders} senders`);
    log(
      `stored ${f(accepted)} (duplicates ${f(duplicates)}, rejected ${f(rejected)}, failed batches ${f(failedBatches)}, never sent ${f(unsent)})`,
    );
    log(
      `stored per second: ${f(storedPerSecond)} (from the first flush until the last batch was answered, ${f((end - start - flushMs) / 1000, 1)} s)`,
    );
    log(
      `record time → stored, ms: p50 ${f(lag.p50)}  p99 ${f(lag.p99)}  max ${f(lag.max)} (includes waiting up to ${f(flushMs)} ms for the flush)`,
    );
    log(
      `GraphQL usage trailed what was stored by at most ${f(trail)} ms; at the end it showed ${f(finalVisible)} requests`,
    );
    log(`control plane CPU: ${f(cpuS, 1)} s (${f((cpuS / Math.max(1, accepted)) * 1e6, 1)} µs per record)`);
    const okRate = storedPerSecond >= targets.recordsPerSecond && unsent === 0;
    const okLag = lag.p99 + trail < targets.visibleLagMs && finalVisible === accepted;
    log('\nTargets (issue 9, usage ingestion):');
    log(
      `  ${okRate ? 'PASS' : 'FAIL'}  ${f(storedPerSecond)} records/s stored (target ≥ ${f(targets.recordsPerSecond)})`,
    );
    log(
      `  ${okLag ? 'PASS' : 'FAIL'}  record → visible in GraphQL usage: p99 ${f(lag.p99 + trail)} ms (target < ${f(targets.visibleLagMs)}; every stored record shown: ${finalVisible === accepted ? 'yes' : 'no'})`,
    );
    writeRawFigures('bench-ingest', {
      rate,
      senders,
      seconds,
      batchSize,
      offered,
      accepted,
      duplicates,
      rejected,
      failedBatches,
      unsent,
      storedPerSecond,
      lagMs: lag,
      graphqlTrailMs: trail,
      finalVisible,
      controlPlaneCpuS: cpuS,
      probes,
    });
  } finally {
    await teardown.run();
  }
}

runBenchmark(main);
