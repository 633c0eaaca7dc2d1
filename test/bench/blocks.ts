// The benchmark's blocks: the load each gives a freshly started process under test, and what is read from the
// process around it (CPU time over the measured window, resident memory at the end).
import { sleep } from '../harness/wait.ts';
import type { CpuQuota } from './cpu-quota.ts';
import { cpuSeconds, memoryMiB } from './stats.ts';
import type { Target, UnderTest } from './targets.ts';
import { type LoadResult, runWrk } from './wrk.ts';

export type BlockName = 'idle' | 'json-200' | 'json-2000' | 'stream-2000' | 'json-max' | 'stream-max' | 'keys-100k';

export interface Block {
  name: BlockName;
  /** What is measured; null: no load at all (background work). */
  load: { stream: boolean; rate: number | null } | null;
}

/** Every block of a round, in the order run. keys-100k runs once, after the rounds, on a data plane with 100,000 keys. */
export const blocks: Record<BlockName, Block> = {
  idle: { name: 'idle', load: null },
  'json-200': { name: 'json-200', load: { stream: false, rate: 200 } },
  'json-2000': { name: 'json-2000', load: { stream: false, rate: 2_000 } },
  'stream-2000': { name: 'stream-2000', load: { stream: true, rate: 2_000 } },
  'json-max': { name: 'json-max', load: { stream: false, rate: null } },
  'stream-max': { name: 'stream-max', load: { stream: true, rate: null } },
  'keys-100k': { name: 'keys-100k', load: { stream: false, rate: 2_000 } },
};

/** One block on one target in one round. */
export interface BlockRun {
  block: BlockName;
  target: Target;
  round: number;
  /** The measured load; null in the idle block. */
  load: LoadResult | null;
  /** The warm-up before it (closed loop), kept for its errors. */
  warmup: LoadResult;
  /** Wall seconds of the measured window. */
  seconds: number;
  /** CPU seconds (user + system, all threads) the target spent in that window. */
  cpuSeconds: number;
  rssMiB: number;
  /** VmHWM: the highest resident memory of the process's life so far (MiB). */
  peakRssMiB: number;
  /** Requests the data plane counted over its life (null for the bare proxy), for the usage check. */
  counted: number | null;
}

export interface Settings {
  /** Measured seconds of a block with load, and of the idle block. */
  seconds: number;
  idleSeconds: number;
  warmupSeconds: number;
  connections: number;
  threads: number;
  /** Core wrk runs on. */
  helperCore: number | undefined;
  /** Opt-in cap on the target in the max blocks. */
  quota: CpuQuota | null;
}

/**
 * Between warm-up and measurement the target settles: at least `settleMs`, then until it used under `quietShare` of a
 * core over a `quietWindowMs` window (at most `settleLimitMs`). A data plane ships the warm-up burst's usage records
 * and collects its garbage in the seconds after it; that work belongs to the warm-up, not to the measured load, and
 * the bare proxy has none. Both targets wait by the same rule.
 */
const settleMs = 1_500;
const quietWindowMs = 1_000;
const quietShare = 0.03;
const settleLimitMs = 20_000;

async function settle(pid: number): Promise<void> {
  await sleep(settleMs);
  const deadline = performance.now() + settleLimitMs;
  while (performance.now() < deadline) {
    const cpu0 = cpuSeconds(pid);
    await sleep(quietWindowMs);
    if (cpuSeconds(pid) - cpu0 < (quietWindowMs / 1000) * quietShare) return;
  }
}

/**
 * Runs `block` on a freshly started target and stops it: a closed-loop warm-up of the same kind (so the JIT has
 * compiled the request path), a pause, then the measured window; the target's CPU time is read around that window
 * only, its memory at the end.
 */
export async function runBlock(block: Block, ut: UnderTest, round: number, s: Settings): Promise<BlockRun> {
  let figures: Omit<BlockRun, 'counted'>;
  try {
    figures = await measure(block, ut, round, s);
  } catch (e) {
    await ut.stop().catch(() => null);
    throw e;
  }
  return { ...figures, counted: await ut.stop() };
}

async function measure(block: Block, ut: UnderTest, round: number, s: Settings): Promise<Omit<BlockRun, 'counted'>> {
  const load = (rate: number | null, seconds: number, stream: boolean) =>
    runWrk({
      url: ut.url,
      key: ut.key,
      model: stream ? ut.streamModel : ut.model,
      stream,
      rate,
      seconds,
      connections: s.connections,
      threads: s.threads,
      core: s.helperCore,
    });
  const warmup = await load(null, s.warmupSeconds, block.load?.stream ?? false);
  await settle(ut.pid);
  const capped = s.quota && block.load && block.load.rate === null ? s.quota : null;
  capped?.add(ut.pid);
  const cpu0 = cpuSeconds(ut.pid);
  const t0 = performance.now();
  let measured: LoadResult | null = null;
  try {
    if (block.load) measured = await load(block.load.rate, s.seconds, block.load.stream);
    else await sleep(s.idleSeconds * 1000);
  } finally {
    capped?.release(ut.pid);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(ut.pid) - cpu0;
  const mem = memoryMiB(ut.pid);
  return {
    block: block.name,
    target: ut.target,
    round,
    load: measured,
    warmup,
    seconds,
    cpuSeconds: cpu,
    rssMiB: mem.rss,
    peakRssMiB: mem.peak,
  };
}
