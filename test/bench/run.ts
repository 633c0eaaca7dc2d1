// `pnpm bench`: direct vs a bare undici proxy vs the data plane, on loopback, in one run; prints ratios and targets.
import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startControlPlane } from '../harness/control-plane.ts';
import { startDataPlane } from '../harness/data-plane.ts';
import { gqlClient } from '../harness/gql.ts';
import { repoRoot } from '../harness/paths.ts';
import { freePort } from '../harness/ports.ts';
import { startPostgres } from '../harness/postgres.ts';
import { ManagedProcess } from '../harness/process.ts';
import { seed } from '../harness/seed.ts';
import { Teardown } from '../harness/teardown.ts';
import { waitFor } from '../harness/wait.ts';
import { createCpuQuota } from './cpu-quota.ts';
import type { LoadResult } from './load.ts';
import { runBenchmark, writeRawFigures } from './outcome.ts';
import { combine, type Measured, printReport, type Report, type Target } from './report.ts';
import { cpuSeconds, memoryMiB } from './stats.ts';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
/** Seconds of load per target and scenario, split into rounds. */
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const quotaShare = Number(process.env.BENCH_CPU_QUOTA ?? 0.4);
const roundSeconds = seconds / rounds;
const fixedRate = Number(process.env.BENCH_RATE ?? 1000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);
const streamRate = 200;
const fixtureKey = 'sk-bench-upstream';
const streamDirective = '@chunks=16';
/** BENCH_CPU_PROF=<dir>: the bare proxy and the data plane write V8 CPU profiles there when they stop. */
const profiling: Record<string, string> = process.env.BENCH_CPU_PROF
  ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF}` }
  : {};

// Two cores or more: the process under test gets core 0 alone; load generator, fixture and control plane share core 1.
const cores = availableParallelism();
const pinned = cores >= 2;
const targetCore = pinned ? 0 : undefined;
const helperCore = pinned ? 1 : undefined;
/** BENCH_SCENARIOS=rate,max,stream (default all): run only some, e.g. while profiling. */
const scenarios = new Set((process.env.BENCH_SCENARIOS ?? 'rate,max,stream').split(',').map((s) => s.trim()));

interface Endpoint {
  name: Target;
  url: string;
  key: string;
  model: string;
  streamModel: string;
  pid?: number;
}

async function load(
  ep: Endpoint,
  opts: { rate?: number; concurrency?: number; duration: number; stream?: boolean },
): Promise<LoadResult> {
  const args = [
    join(here, 'load.ts'),
    '--url',
    `${ep.url}/v1/chat/completions`,
    '--key',
    ep.key,
    '--model',
    opts.stream ? ep.streamModel : ep.model,
    '--duration',
    String(opts.duration),
  ];
  if (opts.rate) args.push('--rate', String(opts.rate));
  else args.push('--concurrency', String(opts.concurrency));
  if (opts.stream) args.push('--stream');
  const [cmd, argv] =
    helperCore === undefined
      ? [process.execPath, args]
      : ['taskset', ['-c', String(helperCore), process.execPath, ...args]];
  const { stdout } = await run(cmd, argv, { cwd: repoRoot, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadResult;
}

/** Runs a load while watching the target's CPU time and memory. */
async function measure(
  ep: Endpoint,
  opts: { rate?: number; concurrency?: number; duration: number; stream?: boolean },
): Promise<Measured> {
  const cpu0 = ep.pid ? cpuSeconds(ep.pid) : 0;
  const result = await load(ep, opts);
  const cpu = ep.pid ? cpuSeconds(ep.pid) - cpu0 : null;
  const mem = ep.pid ? memoryMiB(ep.pid) : null;
  const label = opts.rate ? `${opts.rate} rps` : `${opts.concurrency} in flight`;
  console.log(
    `  ${ep.name.padEnd(11)} ${label.padEnd(14)} ${result.rps.toFixed(0).padStart(6)} rps  p50 ${result.latencyMs.p50.toFixed(3)} ms  p99 ${result.latencyMs.p99.toFixed(3)} ms  errors ${result.errors}`,
  );
  return { ...result, cpuSeconds: cpu, rssMiB: mem?.rss ?? null, peakRssMiB: mem?.peak ?? null };
}

async function main(): Promise<void> {
  const teardown = new Teardown();
  const stopOnSignal = () => void teardown.run().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    console.log(`Starting the stack${pinned ? ' (process under test on core 0, everything else on core 1)' : ''}…`);
    // The throughput scenario caps the process under test at a share of its core, so that it (not the load
    // generator and fixture sharing the other core) is what saturates; without cgroup access: no cap.
    const quota = pinned ? createCpuQuota(quotaShare) : null;
    if (quota) teardown.add(quota, (q) => q.dispose(), 'cpu quota');
    // Children inherit CPU affinity: pinning this process keeps an embedded PostgreSQL off the target's core too.
    if (helperCore !== undefined) execFileSync('taskset', ['-a', '-p', '-c', String(helperCore), String(process.pid)]);
    const db = teardown.add(await startPostgres(), (d) => d.stop(), 'postgres');
    const fixturePort = await freePort();
    const fixture = teardown.add(
      new ManagedProcess({
        name: 'bench-fixture',
        args: ['test/fixture/main.ts', '--port', String(fixturePort), '--api-key', fixtureKey],
        env: {},
        healthUrl: `http://127.0.0.1:${fixturePort}/healthz`,
        cpuCore: helperCore,
      }),
      (p) => p.dispose(),
      'fixture',
    );
    await fixture.start();
    const fixtureUrl = `http://127.0.0.1:${fixturePort}`;
    const cp = teardown.add(
      await startControlPlane({ databaseUrl: db.url, name: 'bench-control-plane', cpuCore: helperCore }),
      (c) => c.dispose(),
      'control plane',
    );
    const admin = gqlClient(cp.graphqlUrl, cp.adminToken);
    const seeded = await seed(admin, {
      fixtureUrl: `${fixtureUrl}/v1`,
      fixtureApiKey: fixtureKey,
      models: [
        { name: 'gpt-bench', upstreamModel: 'fixture-model' },
        { name: 'gpt-bench-stream', upstreamModel: `fixture-model${streamDirective}` },
      ],
    });

    const barePort = await freePort();
    const bare = teardown.add(
      new ManagedProcess({
        name: 'bench-bare-proxy',
        args: [
          'test/bench/bare-proxy.ts',
          '--port',
          String(barePort),
          '--upstream',
          fixtureUrl,
          '--api-key',
          fixtureKey,
        ],
        env: profiling,
        healthUrl: `http://127.0.0.1:${barePort}/healthz`,
        cpuCore: targetCore,
      }),
      (p) => p.dispose(),
      'bare proxy',
    );
    await bare.start();
    // Production settings: info logging, metrics always on, usage batched to the control plane every second.
    const dp = teardown.add(
      await startDataPlane({
        controlPlaneUrl: cp.url,
        dataPlaneToken: cp.dataPlaneToken,
        nodeId: 'bench-dp',
        cpuCore: targetCore,
        env: {
          USAGE_FLUSH_MS: '1000',
          LOG_LEVEL: 'info',
          ...profiling,
        },
      }),
      (d) => d.dispose(),
      'data plane',
    );

    const endpoints: Endpoint[] = [
      {
        name: 'direct',
        url: fixtureUrl,
        key: fixtureKey,
        model: 'fixture-model',
        streamModel: `fixture-model${streamDirective}`,
        pid: fixture.pid,
      },
      {
        name: 'bare-proxy',
        url: `http://127.0.0.1:${barePort}`,
        key: 'unused-by-the-bare-proxy',
        model: 'fixture-model',
        streamModel: `fixture-model${streamDirective}`,
        pid: bare.pid,
      },
      {
        name: 'data-plane',
        url: dp.url,
        key: seeded.key.secret,
        model: 'gpt-bench',
        streamModel: 'gpt-bench-stream',
        pid: dp.process.pid,
      },
    ];

    console.log('Warming up…');
    for (const ep of endpoints) await load(ep, { concurrency: 32, duration: 3 });

    const report: Report = {
      at: new Date().toISOString(),
      node: process.version,
      cores,
      quotaShare: quota?.share ?? null,
      pinned,
      seconds,
      fixedRate: {},
      max: {},
      stream: {},
      rounds: { fixedRate: {}, max: {}, stream: {} },
      usage: { expected: 0, recorded: 0 },
    };
    /** Each scenario runs in interleaved rounds, so drift on a shared machine hits every target alike. */
    const scenario = async (
      title: string,
      into: 'fixedRate' | 'max' | 'stream',
      opts: { rate?: number; concurrency?: number; stream?: boolean },
      limited = false,
    ) => {
      const under = limited && quota ? ` under a quota of ${quota.share * 100}% of a core` : '';
      console.log(`\n${title}, ${rounds} rounds of ${roundSeconds} s per target${under}:`);
      const runs = new Map<Target, Measured[]>();
      for (let round = 0; round < rounds; round++) {
        for (const ep of endpoints) {
          const capped = limited && quota && ep.pid ? ep.pid : undefined;
          if (capped) quota!.add(capped);
          try {
            const m = await measure(ep, { ...opts, duration: roundSeconds });
            runs.set(ep.name, [...(runs.get(ep.name) ?? []), m]);
          } finally {
            if (capped) quota!.release(capped);
          }
        }
      }
      for (const [name, list] of runs) {
        report[into][name] = combine(list);
        report.rounds[into][name] = list;
      }
    };
    if (scenarios.has('rate')) {
      await scenario(`Fixed rate ${fixedRate} rps (open loop)`, 'fixedRate', { rate: fixedRate });
    }
    if (scenarios.has('max')) {
      await scenario(`Maximum throughput, ${concurrency} in flight (closed loop)`, 'max', { concurrency }, true);
    }
    if (scenarios.has('stream')) {
      await scenario(`Streams of 16 chunks at ${streamRate} rps`, 'stream', { rate: streamRate, stream: true });
    }

    // "Usage on" is checked, not assumed: every request the data plane counted must reach PostgreSQL exactly once.
    const usageCount = async () => {
      const { rows } = await db.pool.query<{ n: string }>('select count(*)::text as n from usage_records');
      return Number(rows[0].n);
    };
    const counted = await fetch(`${dp.url}/metrics`)
      .then((res) => res.text())
      .then((text) =>
        [...text.matchAll(/^gateway_requests_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0),
      );
    report.usage.expected = counted;
    report.usage.recorded = await waitFor(
      'usage records in PostgreSQL',
      async () => (await usageCount()) === counted && counted,
      {
        timeoutMs: 30_000,
        intervalMs: 250,
      },
    ).catch(usageCount);

    const rawPath = writeRawFigures('bench', report);
    printReport(report);
    console.log(`\nRaw figures: ${rawPath}`);
  } finally {
    await teardown.run();
  }
}

runBenchmark(main);
