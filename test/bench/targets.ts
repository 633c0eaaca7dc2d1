// The two processes under test, each started fresh for every block: the bare undici proxy (the reference) and the
// data plane with authentication, usage and metrics on, as in production.
import { waitForVersion } from '../bench-scale/probes.ts';
import { startDataPlane } from '../harness/data-plane.ts';
import { freePort } from '../harness/ports.ts';
import { ManagedProcess } from '../harness/process.ts';
import { sleep } from '../harness/wait.ts';

export type Target = 'bare-proxy' | 'data-plane';

export interface UnderTest {
  target: Target;
  /** Origin, e.g. http://127.0.0.1:8080. */
  url: string;
  key: string;
  model: string;
  streamModel: string;
  pid: number;
  /** Stops it for good; resolves with the requests it counted (the data plane's /metrics; null for the bare proxy). */
  stop(): Promise<number | null>;
}

/** What both need to start: where the fixture and the control plane are, and how to run them. */
export interface Launch {
  fixtureUrl: string;
  fixtureKey: string;
  controlPlane: { url: string; dataPlaneToken: string };
  /** The seeded virtual key the data plane's load sends. */
  dataPlaneKey: string;
  /** Core the process under test runs on alone; undefined on a single-core machine. */
  core: number | undefined;
  /** Extra environment for both, e.g. NODE_OPTIONS for CPU profiles. */
  env: Record<string, string>;
  /** Node flags for the data plane that NODE_OPTIONS refuses (e.g. --trace-gc). */
  nodeArgs?: string[];
}

/** The fixture's own model names; the data plane's seeded models route to these. */
export const fixtureModel = 'fixture-model';
export const fixtureStreamModel = 'fixture-model@chunks=8';

async function startBareProxy(launch: Launch): Promise<UnderTest> {
  const port = await freePort();
  const proc = new ManagedProcess({
    name: 'bench-bare-proxy',
    args: [
      'test/bench/bare-proxy.ts',
      '--port',
      String(port),
      '--upstream',
      launch.fixtureUrl,
      '--api-key',
      launch.fixtureKey,
    ],
    env: { ...launch.env },
    healthUrl: `http://127.0.0.1:${port}/healthz`,
    cpuCore: launch.core,
  });
  await proc.start();
  return {
    target: 'bare-proxy',
    url: `http://127.0.0.1:${port}`,
    key: 'unused-by-the-bare-proxy',
    model: fixtureModel,
    streamModel: fixtureStreamModel,
    pid: proc.pid!,
    stop: () => proc.dispose().then(() => null),
  };
}

/** Sum of gateway_requests_total: every request the data plane handled, so every one that owes a usage record. */
async function requestsTotal(url: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then((res) => res.text());
  return [...text.matchAll(/^gateway_requests_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

/**
 * The data plane's request count once it holds still: requests wrk cut off when it stopped are counted (and
 * metered) only when the data plane has wound them up, a moment after wrk exits.
 */
async function countedRequests(url: string): Promise<number> {
  let last = await requestsTotal(url);
  // Bounded: nothing else sends it requests, so it settles within a few rounds.
  for (let i = 0; i < 40; i++) {
    await sleep(250);
    const now = await requestsTotal(url);
    if (now === last) break;
    last = now;
  }
  return last;
}

async function startBenchDataPlane(launch: Launch, configVersion: number): Promise<UnderTest> {
  // Production settings: info logging, metrics always on, usage batched to the control plane every second.
  const dp = await startDataPlane({
    controlPlaneUrl: launch.controlPlane.url,
    dataPlaneToken: launch.controlPlane.dataPlaneToken,
    nodeId: 'bench-dp',
    cpuCore: launch.core,
    nodeArgs: launch.nodeArgs,
    waitReady: false,
    env: { USAGE_FLUSH_MS: '1000', LOG_LEVEL: 'info', ...launch.env },
  });
  try {
    // A large config (100,000 keys) takes longer to apply than startDataPlane's own readiness wait allows.
    await waitForVersion(dp, configVersion, 600_000);
  } catch (e) {
    await dp.dispose();
    throw e;
  }
  return {
    target: 'data-plane',
    url: dp.url,
    key: launch.dataPlaneKey,
    model: 'gpt-bench',
    streamModel: 'gpt-bench-stream',
    pid: dp.process.pid!,
    stop: async () => {
      const counted = await countedRequests(dp.url);
      await dp.dispose();
      return counted;
    },
  };
}

/** Starts `target` fresh; a data plane is returned once it serves `configVersion` or later. */
export function startTarget(target: Target, launch: Launch, configVersion = 0): Promise<UnderTest> {
  return target === 'bare-proxy' ? startBareProxy(launch) : startBenchDataPlane(launch, configVersion);
}
