// What the scale benchmark watches from outside: a load generator child, a data plane's applied version, memory.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { memoryMiB } from '../bench/stats.ts';
import type { DataPlane } from '../harness/data-plane.ts';
import { repoRoot } from '../harness/paths.ts';
import { sleep, waitFor } from '../harness/wait.ts';
import type { Memory } from './report.ts';
import type { Sample } from './windows.ts';

const loadScript = fileURLToPath(new URL('./steady-load.ts', import.meta.url));

/** The cores this benchmark may use, read before it pins itself to one of them. */
export const machineCores = availableParallelism();

export const now = () => performance.timeOrigin + performance.now();

export interface RunningLoad {
  /** Ends the load and returns every request it sent. */
  stop(): Promise<Sample[]>;
}

/** Starts steady-load.ts against `url` (GET /v1/models at `rate` per second with `key` as the bearer). */
export function startLoad(url: string, key: string, rate: number, core: number | null = null): RunningLoad {
  const child: ChildProcess = spawn(
    process.execPath,
    [loadScript, '--url', url, '--key', key, '--rate', String(rate)],
    {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  if (core !== null && child.pid) pinToCore(child.pid, core);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    stop: async () => {
      child.stdin!.end();
      const code = await closed;
      if (code !== 0) throw new Error(`steady-load exited with ${code}`);
      return JSON.parse(out.trim().split('\n').pop() ?? '[]') as Sample[];
    },
  };
}

/**
 * Pins a process and its threads to one core (`taskset`), as a data plane and its control plane run on separate
 * machines in production: here the data plane and the load generator share core 0, the control plane gets core 1.
 * Answers false (and pins nothing) where `taskset` is missing or there is one core.
 */
export function pinToCore(pid: number, core: number): boolean {
  if (machineCores < 2) return false;
  return spawnSync('taskset', ['-a', '-cp', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
}

/** The config version a data plane serves (its /readyz), or null while it has none. */
export async function appliedVersion(dp: DataPlane): Promise<number | null> {
  const r = await dp.readyz().catch(() => null);
  return r?.status === 200 ? Number((r.body as { version: number }).version) : null;
}

/** Resolves with the time (epoch ms) the data plane first shows `version` or later; polls every 10 ms. */
export async function waitForVersion(dp: DataPlane, version: number, timeoutMs: number): Promise<number> {
  return waitFor(
    `${dp.nodeId} at config version ${version}`,
    async () => ((await appliedVersion(dp)) ?? -1) >= version && now(),
    {
      timeoutMs,
      intervalMs: 10,
    },
  );
}

/**
 * The data plane's longest event-loop stall (ms) since the last call: prom-client's event-loop delay histogram behind
 * its /metrics, which resets at every scrape. Tells the data plane's own blocking from waiting for a CPU core.
 */
export async function eventLoopStallMs(dp: DataPlane): Promise<number | null> {
  const res = await fetch(`${dp.url}/metrics`).catch(() => null);
  if (!res?.ok) return null;
  const line = (await res.text())
    .split('\n')
    .find((l) => l.startsWith('gateway_process_nodejs_eventloop_lag_max_seconds '));
  return line ? Number(line.split(' ')[1]) * 1000 : null;
}

/** The same measurement for every process: 5 s of steady load, 5 s of rest, then VmRSS and VmHWM. */
export async function settledMemory(pid: number, url: string, key: string, rate: number): Promise<Memory> {
  const load = startLoad(url, key, rate);
  await sleep(5_000);
  await load.stop();
  await sleep(5_000);
  return memoryNow(pid, url);
}

/** VmRSS and VmHWM of a process; with a data plane's `url`, its V8 heap spaces too. */
export async function memoryNow(pid: number, url?: string): Promise<Memory> {
  const m = memoryMiB(pid);
  const heapSpacesMiB = url ? await heapSpaces(url) : undefined;
  return {
    settledMiB: m.rss,
    peakMiB: m.peak,
    anonMiB: m.anon,
    fileMiB: m.file,
    mallocHeapMiB: mallocHeapMiB(pid),
    ...(heapSpacesMiB ? { heapSpacesMiB } : {}),
  };
}

/** Each V8 heap space of a data plane: [used, size] in MiB, from prom-client's default metrics on its /metrics. */
async function heapSpaces(url: string): Promise<Record<string, [number, number]> | undefined> {
  const res = await fetch(`${url}/metrics`).catch(() => null);
  if (!res?.ok) return undefined;
  const out: Record<string, [number, number]> = {};
  for (const line of (await res.text()).split('\n')) {
    const m = /^gateway_process_nodejs_heap_space_size_(used|total)_bytes\{space="([a-z_]+)"\} (\S+)/.exec(line);
    if (!m) continue;
    const space = (out[m[2]] ??= [0, 0]);
    space[m[1] === 'used' ? 0 : 1] = Number(m[3]) / 2 ** 20;
  }
  for (const [k, [, size]] of Object.entries(out)) if (size === 0) delete out[k];
  return Object.keys(out).length ? out : undefined;
}

/** Resident size of the process's [heap] mapping: what the C allocator holds in its main arena (MiB). */
function mallocHeapMiB(pid: number): number | undefined {
  let smaps: string;
  try {
    smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return undefined;
  }
  const at = smaps.search(/^\S+ \S+ \S+ \S+ \S+\s+\[heap\]$/m);
  if (at < 0) return 0;
  const rss = /^Rss:\s+(\d+) kB/m.exec(smaps.slice(at));
  return rss ? Number(rss[1]) / 1024 : undefined;
}
