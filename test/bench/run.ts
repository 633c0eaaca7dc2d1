// `pnpm bench`: issue 9's comparison in one run. The data plane (authentication, usage, metrics on) against a bare
// undici pass-through proxy, each started fresh for every block and alone on core 0, loaded by wrk on core 1 beside
// the fixture and the control plane; two interleaved rounds. Prints the issue's table, the ratios and the verdicts.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { keyIndex, keySecret, scaleShape, seedWorld } from '../bench-scale/world.ts';
import type { TestDatabase } from '../harness/postgres.ts';
import { Teardown } from '../harness/teardown.ts';
import { waitFor } from '../harness/wait.ts';
import { type BlockRun, blocks, runBlock, type Settings } from './blocks.ts';
import { createCpuQuota } from './cpu-quota.ts';
import { mbPerMiB } from './figures.ts';
import { runBenchmark, writeRawFigures } from './outcome.ts';
import { printReport, type Report } from './report.ts';
import { fixtureKey, startBenchStack } from './stack.ts';
import { type Launch, startTarget, type Target } from './targets.ts';
import { ensureWrk } from './wrk.ts';

/** A number from the environment, or `fallback`; anything else stops the run with the variable's name. */
function envNumber(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got '${raw}'`);
  return n;
}

const rounds = envNumber('BENCH_ROUNDS', 2, 1);
const seconds = envNumber('BENCH_SECONDS', 8, 1);
const idleSeconds = envNumber('BENCH_IDLE_SECONDS', 10, 1);
const warmupSeconds = envNumber('BENCH_WARMUP_SECONDS', 2, 1);
const connections = envNumber('BENCH_CONNECTIONS', 100, 1);
const wrkThreads = envNumber('BENCH_WRK_THREADS', 1, 1);
const keyCount = envNumber('BENCH_KEYS', 100_000, scaleShape.keysPerOrg);
const quotaShare = process.env.BENCH_CPU_QUOTA ? envNumber('BENCH_CPU_QUOTA', 1, 0.01) : null;
const chosen = (process.env.BENCH_BLOCKS ?? Object.keys(blocks).join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = chosen.filter((name) => !(name in blocks));
if (unknown.length) throw new Error(`BENCH_BLOCKS: unknown ${unknown.join(', ')}; known: ${Object.keys(blocks)}`);
if (keyCount % scaleShape.keysPerOrg) throw new Error(`BENCH_KEYS must be a multiple of ${scaleShape.keysPerOrg}`);
/** BENCH_CPU_PROF=<dir>: every process under test writes a V8 CPU profile there when it stops. */
const profiling: Record<string, string> = process.env.BENCH_CPU_PROF
  ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF}` }
  : {};

// Two cores or more: the process under test gets core 0 alone; wrk, fixture and control plane share core 1.
const cores = availableParallelism();
const pinned = cores >= 2;
const targetCore = pinned ? 0 : undefined;
const helperCore = pinned ? 1 : undefined;

/** Each round runs the targets in the other order, so that drift over a round does not favour one of them. */
const order = (round: number): Target[] =>
  round % 2 === 0 ? ['bare-proxy', 'data-plane'] : ['data-plane', 'bare-proxy'];

/** One line per block run as it ends, with the wall time it took (start and stop included). */
function progress(r: BlockRun, tookS: number): void {
  const core = `core ${((r.cpuSeconds / r.seconds) * 100).toFixed(1)}%`;
  const peak = `peak ${(r.peakRssMiB * mbPerMiB).toFixed(0)} MB`;
  const load = r.load
    ? `${r.load.rps.toFixed(0).padStart(6)}/s  p50 ${r.load.latencyMs.p50.toFixed(2)}  p90 ${r.load.latencyMs.p90.toFixed(2)}  ` +
      `p99 ${r.load.latencyMs.p99.toFixed(2)} ms  ${((r.cpuSeconds / Math.max(1, r.load.requests)) * 1e6).toFixed(0)} µs/req`
    : 'idle';
  const errors = r.warmup.errors + (r.load?.errors ?? 0);
  console.log(
    `  ${r.block.padEnd(12)} ${r.target.padEnd(11)} ${load}  ${core}  ${peak}${errors ? `  ${errors} ERRORS` : ''}  (${tookS.toFixed(0)} s)`,
  );
}

/**
 * Writes `keyCount` keys (1,000 orgs × 100 at the default) straight into PostgreSQL while the control plane is
 * stopped (seedWorld's bulk insert skips change capture), then starts it again; returns the config version holding
 * them and a key of the last org, for the load.
 */
async function loadKeys(db: TestDatabase, cp: { stop(): Promise<unknown>; restart(): Promise<void> }) {
  const shape = { ...scaleShape, orgs: keyCount / scaleShape.keysPerOrg };
  console.log(`\nSeeding ${keyCount} keys into PostgreSQL and restarting the control plane…`);
  const t0 = performance.now();
  await cp.stop();
  const version = await seedWorld(db.pool, shape);
  const t1 = performance.now();
  await cp.restart();
  const s = (from: number, to: number) => ((to - from) / 1000).toFixed(1);
  console.log(`  seeded in ${s(t0, t1)} s; control plane ready ${s(t1, performance.now())} s later`);
  return { version, key: keySecret(keyIndex(shape, shape.orgs - 1, shape.keysPerOrg - 1)) };
}

async function main(): Promise<void> {
  ensureWrk();
  const teardown = new Teardown();
  const stopOnSignal = () => void teardown.run().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    console.log(`Starting the stack${pinned ? ' (process under test on core 0, everything else on core 1)' : ''}…`);
    // Children inherit CPU affinity: pinning this process keeps an embedded PostgreSQL off the target's core too.
    if (helperCore !== undefined) execFileSync('taskset', ['-a', '-p', '-c', String(helperCore), String(process.pid)]);
    const quota = quotaShare === null ? null : createCpuQuota(quotaShare);
    if (quotaShare !== null && !quota) console.log(`BENCH_CPU_QUOTA: cgroups are not writable here; no cap.`);
    if (quota) teardown.add(quota, (q) => q.dispose(), 'cpu quota');
    const { db, cp, fixtureUrl, dataPlaneKey } = await startBenchStack(teardown, helperCore);
    const launch: Launch = {
      fixtureUrl,
      fixtureKey,
      controlPlane: cp,
      dataPlaneKey,
      core: targetCore,
      env: profiling,
    };
    const settings: Settings = {
      seconds,
      idleSeconds,
      warmupSeconds,
      connections,
      threads: wrkThreads,
      helperCore,
      quota,
    };
    const runs: BlockRun[] = [];
    let tick = performance.now();
    const record = (run: BlockRun) => {
      runs.push(run);
      progress(run, (performance.now() - tick) / 1000);
      tick = performance.now();
    };

    const perRound = Object.values(blocks).filter((b) => b.name !== 'keys-100k' && chosen.includes(b.name));
    for (let round = 0; round < rounds; round++) {
      console.log(`\nRound ${round + 1} of ${rounds}:`);
      for (const block of perRound) {
        for (const target of order(round)) {
          record(await runBlock(block, await startTarget(target, launch), round, settings));
        }
      }
    }

    let keys: Report['keys'] = null;
    if (chosen.includes('keys-100k')) {
      const world = await loadKeys(db, cp);
      const withKeys = { ...launch, dataPlaneKey: world.key };
      tick = performance.now();
      for (const target of order(0)) {
        const t0 = performance.now();
        const ut = await startTarget(target, withKeys, world.version);
        if (target === 'data-plane') keys = { count: keyCount, applySeconds: (performance.now() - t0) / 1000 };
        record(await runBlock(blocks['keys-100k'], ut, 0, settings));
      }
    }

    // "Usage on" is checked, not assumed: every request a data plane counted must reach PostgreSQL exactly once.
    const expected = runs.reduce((n, r) => n + (r.counted ?? 0), 0);
    const usageCount = async () => {
      const { rows } = await db.pool.query<{ n: string }>('select count(*)::text as n from usage_records');
      return Number(rows[0].n);
    };
    const recorded = await waitFor('usage records in PostgreSQL', async () => (await usageCount()) === expected, {
      timeoutMs: 30_000,
      intervalMs: 250,
    }).then(() => expected, usageCount);

    const report: Report = {
      at: new Date().toISOString(),
      node: process.version,
      cores,
      pinned,
      quotaShare: quota?.share ?? null,
      settings: { rounds, seconds, idleSeconds, warmupSeconds, connections, wrkThreads },
      keys,
      runs,
      usage: { expected, recorded },
    };
    const printed = printReport(report);
    console.log(`\nRaw figures: ${writeRawFigures('bench', { ...report, ...printed })}`);
  } finally {
    await teardown.run();
  }
}

runBenchmark(main);
