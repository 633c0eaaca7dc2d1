// The scale benchmark's report: raw figures of one run, printed as a table with PASS/FAIL per target of issue 8.
import type { Summary } from '../bench/stats.ts';
import type { LatencyFigures } from './windows.ts';
import type { WorldCounts } from './world.ts';

export interface Memory {
  /** VmRSS after the warm-up load and a pause, MiB. */
  settledMiB: number;
  /** VmHWM (peak RSS since the process started), MiB. */
  peakMiB: number;
  /** VmRSS split: anonymous pages (heaps, stacks) and file-backed ones (the node binary's code, libraries), MiB. */
  anonMiB?: number;
  fileMiB?: number;
  /** Resident size of the C allocator's main arena ([heap] in /proc/PID/smaps), MiB. */
  mallocHeapMiB?: number;
  /** A data plane's V8 heap by space: [used, size] MiB, from its /metrics, when it could be read. */
  heapSpacesMiB?: Record<string, [number, number]>;
}

export interface Revoke {
  keyId: string;
  /** Refused at − mutation sent at, ms; null when the key was still accepted at the deadline. */
  propagationMs: number | null;
  /** How long the GraphQL mutation itself took to answer, ms. */
  mutationMs: number;
  /** HTTP status and error code of the first refusal. */
  refusal: string | null;
  /** The mutation's error (a timeout of a slow control plane), if it failed. */
  error: string | null;
}

export interface ScaleReport {
  at: string;
  node: string;
  cores: number;
  world: WorldCounts;
  /** Whether the database had sync protocol v2's change capture (config_changes). */
  changeCapture: boolean;
  seedSeconds: number;
  /** Control plane restart with the world in place, until its /readyz answered. */
  controlPlaneStartSeconds: number;
  /** A fresh data plane's start until its /readyz showed the seeded version (one full snapshot applied). */
  dataPlaneFirstApplySeconds: number;
  /** Revokes asked for; fewer are measured when the phase's time budget ran out. */
  revokesPlanned: number;
  revokes: Revoke[];
  revokePropagationMs: Summary;
  /** Control plane CPU seconds per revoke (user + system, whole process; includes serving the mutation). */
  controlPlaneCpuPerChangeS: number;
  /** catchUpSeconds null: the data plane had not caught up 3 minutes after the restart. */
  fullResync: { versionsWhileDown: number; catchUpSeconds: number | null };
  /** Data plane and load on core 0, control plane on core 1 (taskset); false where that was not possible. */
  pinned: boolean;
  /** The data plane's own longest event-loop stall in each phase (its /metrics), null when unreadable. */
  eventLoopStallMs: { duringRevokes: number | null; duringFullResync: number | null };
  load: {
    rate: number;
    duringRevokes: LatencyFigures;
    duringFullResync: LatencyFigures;
    outside: LatencyFigures;
  };
  /** The data plane restarted on its state dir with the control plane down, until /readyz answered. */
  bootFromDisk: { seconds: number; source: string; version: number };
  memory: {
    dataPlaneEmpty: Memory;
    dataPlaneScale: Memory;
    /** The scale data plane after the revokes and the full resync. */
    dataPlaneScaleEnd: Memory;
    /** The same data plane restarted from its state dir, through the same load and pause. */
    dataPlaneBootFromDisk: Memory;
    controlPlane: Memory;
    controlPlaneAfterRestart: Memory;
  };
}

export const targets = { revokeP99Ms: 250, waitMs: 50, extraMemoryMiB: 60 };

const f = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

export interface Verdicts {
  revoke: boolean;
  wait: boolean;
  memory: boolean;
  memoryBootFromDisk: boolean;
}

export function verdicts(r: ScaleReport): Verdicts {
  const allRefused = r.revokes.every((x) => x.propagationMs !== null);
  const changeMax = Math.max(r.load.duringRevokes.max || 0, r.load.duringFullResync.max || 0);
  const extra = r.memory.dataPlaneScale.peakMiB - r.memory.dataPlaneEmpty.peakMiB;
  const extraBoot = r.memory.dataPlaneBootFromDisk.peakMiB - r.memory.dataPlaneEmpty.peakMiB;
  return {
    revoke: allRefused && r.revokePropagationMs.p99 < targets.revokeP99Ms,
    wait: changeMax <= targets.waitMs,
    memory: extra <= targets.extraMemoryMiB,
    memoryBootFromDisk: r.bootFromDisk.source === 'disk' && extraBoot <= targets.extraMemoryMiB,
  };
}

export function printScaleReport(r: ScaleReport): Verdicts {
  const w = r.world;
  const log = (line = '') => console.log(line);
  log(`\n===== scale benchmark (${r.node}, ${r.cores} cores) =====`);
  log(
    `world: ${w.orgs} orgs, ${w.teams} teams, ${w.users} users, ${w.keys} virtual keys` +
      ` (seeded in ${f(r.seedSeconds)} s; change capture by triggers: ${r.changeCapture ? 'yes' : 'no'})`,
  );
  log(`control plane start with it: ${f(r.controlPlaneStartSeconds)} s`);
  log(`fresh data plane until it applied it: ${f(r.dataPlaneFirstApplySeconds)} s`);

  const p = r.revokePropagationMs;
  const missed = r.revokes.filter((x) => x.propagationMs === null).length;
  const mutation = r.revokes.map((x) => x.mutationMs).sort((a, b) => a - b);
  const failed = r.revokes.filter((x) => x.error).length;
  const budget = r.revokes.length < r.revokesPlanned ? ` of ${r.revokesPlanned} (time budget spent)` : '';
  const notes = [missed ? `${missed} never refused` : '', failed ? `${failed} mutations failed` : ''].filter(Boolean);
  log(
    `\nKey revoke → refused by the data plane, ${r.revokes.length} revokes${budget}${notes.length ? ` (${notes.join(', ')})` : ''}:`,
  );
  log(
    `  p50 ${f(p.p50)} ms   p99 ${f(p.p99)} ms   max ${f(p.max)} ms   (mutation answered: median ${f(mutation[Math.floor(mutation.length / 2)])} ms)`,
  );
  const first = r.revokes[0];
  if (first) {
    // The first change after the control plane started runs code for the first time in both planes; it is counted in
    // the percentiles above like every other, and shown here on its own.
    log(
      `  the first revoke after the control plane's start: refused after ${first.propagationMs === null ? '—' : f(first.propagationMs)} ms (mutation ${f(first.mutationMs)} ms)`,
    );
  }
  log(`  first refusal: ${r.revokes.find((x) => x.refusal)?.refusal ?? '—'}`);
  log(`  control plane CPU per change: ${f(r.controlPlaneCpuPerChangeS, 3)} s`);
  log(
    `\nFull resync: control plane down while ${r.fullResync.versionsWhileDown} versions were committed, then restarted;` +
      (r.fullResync.catchUpSeconds === null
        ? ' the data plane had not caught up 3 minutes later'
        : ` the data plane caught up ${f(r.fullResync.catchUpSeconds)} s after the restart began`),
  );

  log(
    `\nLongest event-loop stall inside the data plane: ${f(r.eventLoopStallMs.duringRevokes)} ms during the revokes, ` +
      `${f(r.eventLoopStallMs.duringFullResync)} ms during the full resync (the rest of a request's wait is CPU contention)`,
  );
  log(
    `\nSteady GET /v1/models at ${r.load.rate} req/s (open loop), latency in ms` +
      (r.pinned ? ' (data plane and load on core 0, control plane on core 1):' : ' (processes not pinned):'),
  );
  const head = ['requests', 'p50', 'p99', 'max', `> ${targets.waitMs} ms`, 'errors'];
  log(`  ${'while'.padEnd(26)}${head.map((h) => h.padStart(10)).join('')}`);
  const row = (name: string, l: LatencyFigures) =>
    log(
      `  ${name.padEnd(26)}${[String(l.count), f(l.p50), f(l.p99), f(l.max), String(l.over), String(l.errors)]
        .map((c) => c.padStart(10))
        .join('')}`,
    );
  row('a revoke propagated', r.load.duringRevokes);
  row('a full resync applied', r.load.duringFullResync);
  row('no change (outside)', r.load.outside);

  const m = r.memory;
  log('\nMemory (MiB):             settled      peak');
  const mem = (name: string, x: Memory) =>
    log(`  ${name.padEnd(24)}${f(x.settledMiB, 0).padStart(8)}${f(x.peakMiB, 0).padStart(10)}`);
  mem('data plane, empty config', m.dataPlaneEmpty);
  mem('data plane, scale config', m.dataPlaneScale);
  mem('  … after the changes', m.dataPlaneScaleEnd);
  mem('  … booted from disk', m.dataPlaneBootFromDisk);
  const spaces = (name: string, x: Memory) =>
    x.heapSpacesMiB &&
    log(
      `    ${name}: V8 heap spaces (used/size) ${Object.entries(x.heapSpacesMiB)
        .map(([k, [used, size]]) => `${k} ${f(used, 0)}/${f(size, 0)}`)
        .join(', ')}; malloc arena ${f(x.mallocHeapMiB, 0)}; resident anon ${f(x.anonMiB, 0)}, file ${f(x.fileMiB, 0)}`,
    );
  spaces('empty', m.dataPlaneEmpty);
  spaces('scale', m.dataPlaneScale);
  spaces('after the changes', m.dataPlaneScaleEnd);
  spaces('booted from disk', m.dataPlaneBootFromDisk);
  mem('control plane', m.controlPlane);
  mem('  … after its restart', m.controlPlaneAfterRestart);

  const v = verdicts(r);
  const changeMax = Math.max(r.load.duringRevokes.max || 0, r.load.duringFullResync.max || 0);
  const extra = m.dataPlaneScale.peakMiB - m.dataPlaneEmpty.peakMiB;
  log('\nTargets (issue 8, "Work proportional to the change"):');
  log(`  ${verdict(v.revoke)}  revoke propagation p99 ${f(p.p99)} ms (target < ${targets.revokeP99Ms} ms)`);
  log(`  ${verdict(v.wait)}  longest request during a change ${f(changeMax)} ms (target ≤ ${targets.waitMs} ms)`);
  log(
    `  ${verdict(v.memory)}  data plane peak memory ${f(extra, 0)} MiB above the empty config's (target ≤ ${targets.extraMemoryMiB} MiB;` +
      ` settled: ${f(m.dataPlaneScale.settledMiB - m.dataPlaneEmpty.settledMiB, 0)} MiB above)`,
  );
  const boot = m.dataPlaneBootFromDisk;
  log(
    `  ${verdict(v.memoryBootFromDisk)}  data plane booted from disk (${r.bootFromDisk.source}, ${f(r.bootFromDisk.seconds)} s):` +
      ` peak ${f(boot.peakMiB - m.dataPlaneEmpty.peakMiB, 0)} MiB above the empty config's (target ≤ ${targets.extraMemoryMiB} MiB;` +
      ` settled: ${f(boot.settledMiB - m.dataPlaneEmpty.settledMiB, 0)} MiB above)`,
  );
  return v;
}
