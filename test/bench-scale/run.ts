// `pnpm bench:scale`: issue 8's scale case. 1,000 orgs, 10,000 users and 100,000 virtual keys in a fresh database,
// one control plane and one data plane on loopback; measures how fast a key revoke is refused, how long requests
// wait while the data plane takes changes in, and the data plane's memory against an empty config. A report: the
// exit code is 0 whatever the figures (1 only when the run itself fails).
import { runBenchmark, writeRawFigures } from '../bench/outcome.ts';
import { cpuSeconds, summarize } from '../bench/stats.ts';
import { startControlPlane } from '../harness/control-plane.ts';
import { startDataPlane } from '../harness/data-plane.ts';
import { gqlClient } from '../harness/gql.ts';
import { startPostgres } from '../harness/postgres.ts';
import { createModel } from '../harness/seed.ts';
import { Teardown } from '../harness/teardown.ts';
import { sleep } from '../harness/wait.ts';
import {
  eventLoopStallMs,
  machineCores,
  memoryNow,
  now,
  pinToCore,
  settledMemory,
  startLoad,
  waitForVersion,
} from './probes.ts';
import { printScaleReport, type Revoke, type ScaleReport } from './report.ts';
import { measureRevoke, poller } from './revoke.ts';
import { latencyFigures, splitByWindows, type Window } from './windows.ts';
import {
  capturesChanges,
  churnVersions,
  countWorld,
  keyIndex,
  keySecret,
  scaleId,
  scaleShape,
  seedWorld,
  type WorldShape,
} from './world.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const shape: WorldShape = {
  orgs: env('BENCH_SCALE_ORGS', scaleShape.orgs),
  teamsPerOrg: scaleShape.teamsPerOrg,
  usersPerOrg: scaleShape.usersPerOrg,
  keysPerOrg: env('BENCH_SCALE_KEYS_PER_ORG', scaleShape.keysPerOrg),
};
const revokeCount = env('BENCH_SCALE_REVOKES', 50);
const revokeTimeoutMs = env('BENCH_SCALE_REVOKE_TIMEOUT_MS', 30_000);
/** The revokes stop early once they have taken this long, so that a slow stack still ends in a few minutes. */
const revokeBudgetMs = env('BENCH_SCALE_REVOKE_BUDGET_S', 300) * 1000;
const rate = env('BENCH_SCALE_RATE', 200);
/** Versions committed while the control plane is down: more than a delta ring of 1,000 holds, forcing a full resync. */
const versionsWhileDown = env('BENCH_SCALE_VERSIONS_WHILE_DOWN', 1_001);
/** How long the data plane may take to catch up after the control plane's restart before the run goes on. */
const catchUpTimeoutMs = 180_000;
/** After the data plane shows a change, requests still count as "during the change" for this long. */
const afterMs = 200;
const log = (line: string) => console.log(line);
const seconds = (from: number) => (now() - from) / 1000;

async function main(): Promise<void> {
  const teardown = new Teardown();
  const stopOnSignal = () => void teardown.run().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    // This runner and what it starts (the control plane, also when it restarts) run on core 1; the data plane and its
    // load are moved to core 0 below. Without it the restarting control plane competed with them for core 0.
    pinToCore(process.pid, 1);
    log('Starting PostgreSQL and the control plane on an empty database…');
    const db = teardown.add(await startPostgres(), (d) => d.stop(), 'postgres');
    const cp = teardown.add(
      await startControlPlane({
        databaseUrl: db.url,
        name: 'scale-control-plane',
        env: {
          LOG_LEVEL: 'warn',
          ...(process.env.BENCH_SCALE_CP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SCALE_CP_NODE_OPTIONS } : {}),
        },
        startTimeoutMs: 300_000,
      }),
      (c) => c.dispose(),
      'control plane',
    );
    const admin = gqlClient(cp.graphqlUrl, cp.adminToken);
    const dataPlane = (nodeId: string) =>
      startDataPlane({
        controlPlaneUrl: cp.url,
        dataPlaneToken: cp.dataPlaneToken,
        nodeId,
        waitReady: false,
        env: {
          LOG_LEVEL: 'warn',
          USAGE_FLUSH_MS: '1000',
          // e.g. "--cpu-prof --cpu-prof-dir=/tmp/dp-prof" to profile the data planes (written when they stop).
          ...(process.env.BENCH_SCALE_DP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SCALE_DP_NODE_OPTIONS } : {}),
        },
      });

    // 1. The baseline: a data plane with an empty config, through the same load and pause as the scale one.
    log('Memory baseline: a data plane with an empty config…');
    const emptyDp = teardown.add(await dataPlane('scale-dp-empty'), (d) => d.dispose(), 'empty data plane');
    await emptyDp.waitReady(60_000);
    const dataPlaneEmpty = await settledMemory(emptyDp.process.pid!, emptyDp.url, keySecret(0), rate);
    await emptyDp.dispose();

    // 2. The world: a credential and models through the API (the secret is sealed with the master key), the rest SQL.
    const { createProviderCredential } = await admin<{ createProviderCredential: { id: string } }>(
      `mutation ($input: CreateProviderCredentialInput!) { createProviderCredential(input: $input) { id } }`,
      { input: { name: 'scale', provider: 'OPENAI', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-scale-upstream' } },
    );
    for (const name of ['gpt-scale-a', 'gpt-scale-b']) {
      await createModel(admin, createProviderCredential.id, { name, upstreamModel: 'fixture-model' });
    }
    await cp.stop();
    log(`Seeding ${shape.orgs} orgs, ${shape.orgs * shape.usersPerOrg} users, ${shape.orgs * shape.keysPerOrg} keys…`);
    let t = now();
    const version = await seedWorld(db.pool, shape);
    const seedSeconds = seconds(t);
    const world = await countWorld(db.pool);
    const changeCapture = await capturesChanges(db.pool);
    log(`  seeded in ${seedSeconds.toFixed(1)} s (config version ${version}); starting the control plane…`);
    t = now();
    await cp.restart();
    const controlPlaneStartSeconds = seconds(t);
    t = now();
    const dp = teardown.add(await dataPlane('scale-dp'), (d) => d.dispose(), 'data plane');
    // The control plane on its own core, the data plane and its load on the other (as on separate machines).
    const pinned = pinToCore(cp.process.pid!, 1) && pinToCore(dp.process.pid!, 0);
    await waitForVersion(dp, version, 600_000);
    const dataPlaneFirstApplySeconds = seconds(t);
    log(
      `  control plane ready in ${controlPlaneStartSeconds.toFixed(1)} s; data plane applied it in ${dataPlaneFirstApplySeconds.toFixed(1)} s`,
    );

    // The load's key sits in the last org; the revoked keys are spread over the others.
    const loadKey = keySecret(keyIndex(shape, shape.orgs - 1, shape.keysPerOrg - 1));
    const dataPlaneScale = await settledMemory(dp.process.pid!, dp.url, loadKey, rate);

    // 3. Revokes under a steady load: keys spread evenly over the world, never the load's (the last one).
    const step = Math.max(1, Math.floor((world.keys - 1) / revokeCount));
    log(`Revoking ${revokeCount} keys one by one under ${rate} req/s of GET /v1/models…`);
    const load = startLoad(dp.url, loadKey, rate, pinned ? 0 : null);
    const windows: { revokes: Window[]; full: Window[] } = { revokes: [], full: [] };
    const client = poller(dp.url);
    const revokes: Revoke[] = [];
    const cpPid = cp.process.pid!;
    const cpu0 = cpuSeconds(cpPid);
    try {
      await sleep(2_000);
      await eventLoopStallMs(dp);
      const phaseStart = now();
      for (let r = 0; r < revokeCount && now() - phaseStart < revokeBudgetMs; r++) {
        const index = r * step;
        const start = now();
        const result = await measureRevoke(
          { graphqlUrl: cp.graphqlUrl, token: cp.adminToken },
          client,
          scaleId('key', index),
          keySecret(index),
          revokeTimeoutMs,
        );
        revokes.push(result);
        windows.revokes.push({ start, end: start + (result.propagationMs ?? now() - start) + afterMs });
        if ((r + 1) % 5 === 0)
          log(`  ${r + 1} revoked; last refused after ${result.propagationMs?.toFixed(0) ?? '—'} ms`);
        await sleep(afterMs * 2);
      }
    } finally {
      await client.close();
    }
    const stallDuringRevokesMs = await eventLoopStallMs(dp);
    const controlPlaneCpuPerChangeS = (cpuSeconds(cpPid) - cpu0) / Math.max(1, revokes.length);
    const controlPlane = await memoryNow(cpPid);

    // 4. A full resync under the same load: the control plane goes down, many versions pass, it comes back.
    log(`Full resync: stopping the control plane, committing ${versionsWhileDown} versions, starting it again…`);
    await sleep(2_000);
    await cp.stop();
    const target = await churnVersions(db.pool, scaleId('org', 0), versionsWhileDown);
    await eventLoopStallMs(dp);
    const restartAt = now();
    await cp.restart();
    if (pinned) pinToCore(cp.process.pid!, 1);
    const caughtUpAt = await waitForVersion(dp, target, catchUpTimeoutMs).catch(() => null);
    windows.full.push({ start: restartAt, end: (caughtUpAt ?? now()) + afterMs });
    const catchUpSeconds = caughtUpAt === null ? null : (caughtUpAt - restartAt) / 1000;
    log(
      catchUpSeconds === null
        ? `  the data plane did not reach version ${target} within ${catchUpTimeoutMs / 1000} s`
        : `  data plane at version ${target} ${catchUpSeconds.toFixed(1)} s after the restart began`,
    );
    await sleep(2_000);
    const stallDuringResyncMs = await eventLoopStallMs(dp);
    const samples = await load.stop();
    const controlPlaneAfterRestart = await memoryNow(cp.process.pid!);
    const dataPlaneScaleEnd = await memoryNow(dp.process.pid!, dp.url);

    // 5. A restart from disk: the control plane down, the data plane started again on its state dir (base + journal).
    log('Boot from disk: control plane stopped, data plane restarted on its state dir…');
    await cp.stop();
    await dp.stop();
    t = now();
    await dp.restart();
    if (pinned) pinToCore(dp.process.pid!, 0);
    const booted = await dp.waitReady(300_000);
    const bootSeconds = seconds(t);
    const dataPlaneBootFromDisk = await settledMemory(dp.process.pid!, dp.url, loadKey, rate);
    log(`  serving version ${booted.version} from ${booted.source} ${bootSeconds.toFixed(1)} s after its start`);

    const byRevoke = splitByWindows(samples, windows.revokes);
    const byFull = splitByWindows(byRevoke.outside, windows.full);
    const propagation = revokes.flatMap((x) => (x.propagationMs === null ? [] : [x.propagationMs]));
    const report: ScaleReport = {
      at: new Date().toISOString(),
      node: process.version,
      cores: machineCores,
      world,
      changeCapture,
      seedSeconds,
      controlPlaneStartSeconds,
      dataPlaneFirstApplySeconds,
      revokesPlanned: revokeCount,
      revokes,
      revokePropagationMs: summarize(
        revokes.length > propagation.length ? [...propagation, Number.POSITIVE_INFINITY] : propagation,
      ),
      controlPlaneCpuPerChangeS,
      fullResync: { versionsWhileDown, catchUpSeconds },
      pinned,
      eventLoopStallMs: { duringRevokes: stallDuringRevokesMs, duringFullResync: stallDuringResyncMs },
      load: {
        rate,
        duringRevokes: latencyFigures(byRevoke.during, 50),
        duringFullResync: latencyFigures(byFull.during, 50),
        outside: latencyFigures(byFull.outside, 50),
      },
      bootFromDisk: { seconds: bootSeconds, source: booted.source, version: booted.version },
      memory: {
        dataPlaneEmpty,
        dataPlaneScale,
        dataPlaneScaleEnd,
        dataPlaneBootFromDisk,
        controlPlane,
        controlPlaneAfterRestart,
      },
    };
    const rawPath = writeRawFigures('bench-scale', { ...report, windows });
    printScaleReport(report);
    log(`\nRaw figures: ${rawPath}`);
  } finally {
    await teardown.run();
  }
}

runBenchmark(main);
