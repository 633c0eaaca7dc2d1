// Runs the real data plane (`node data-plane/src/main.ts`) with its own state dir, stoppable and restartable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPlaneMain } from './paths.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';
import { httpStatus, waitFor } from './wait.ts';

export interface DataPlane {
  /** http://127.0.0.1:PORT (no path); the OpenAI base URL is `${url}/v1`. */
  url: string;
  baseURL: string;
  port: number;
  nodeId: string;
  stateDir: string;
  process: ManagedProcess;
  /** Resolves once /readyz answers 200 (a snapshot is applied); returns its body. */
  waitReady(timeoutMs?: number): Promise<ReadyBody>;
  readyz(): Promise<{ status: number; body: unknown }>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<number | null>;
  /** Start again on the same port and state dir. */
  restart(): Promise<void>;
  /** Stop for good and delete the state dir (idempotent). */
  dispose(): Promise<void>;
}

export interface ReadyBody {
  version: number;
  hash: string;
  source: string;
}

export interface DataPlaneOptions {
  controlPlaneUrl: string;
  dataPlaneToken: string;
  nodeId: string;
  port?: number;
  /** Default: a fresh temp dir, deleted by dispose(). */
  stateDir?: string;
  /** Extra environment (UPSTREAM_TIMEOUT_MS, USAGE_FLUSH_MS, ...). */
  env?: Record<string, string>;
  /** Wait for /readyz too (default true). */
  waitReady?: boolean;
  cpuCore?: number;
  /** Node options not allowed in NODE_OPTIONS (e.g. --trace-gc), put before the script. */
  nodeArgs?: string[];
}

export async function startDataPlane(opts: DataPlaneOptions): Promise<DataPlane> {
  const port = opts.port ?? (await freePort());
  const ownDir = opts.stateDir === undefined;
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), `gw-dp-${opts.nodeId}-`));
  const url = `http://127.0.0.1:${port}`;
  const proc = new ManagedProcess({
    name: `data-plane-${opts.nodeId}`,
    args: [...(opts.nodeArgs ?? []), dataPlaneMain],
    env: {
      CONTROL_PLANE_URL: opts.controlPlaneUrl,
      DATA_PLANE_TOKEN: opts.dataPlaneToken,
      NODE_ID: opts.nodeId,
      DP_HOST: '127.0.0.1',
      DP_PORT: String(port),
      DP_STATE_DIR: stateDir,
      USAGE_FLUSH_MS: '200',
      SHUTDOWN_GRACE_MS: '10000',
      LOG_LEVEL: 'info',
      ...opts.env,
    },
    healthUrl: `${url}/healthz`,
    startTimeoutMs: 30_000,
    cpuCore: opts.cpuCore,
  });
  const readyz = async () => {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text for the assertion message
    }
    return { status: res.status, body };
  };
  const waitReady = (timeoutMs = 15_000) =>
    waitFor(
      `${proc.spec.name} /readyz`,
      async () => {
        const r = await readyz();
        return r.status === 200 ? (r.body as ReadyBody) : undefined;
      },
      { timeoutMs },
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n${proc.tail()}`);
    });
  await proc.start();
  if (opts.waitReady !== false) await waitReady();
  let disposed = false;
  return {
    url,
    baseURL: `${url}/v1`,
    port,
    nodeId: opts.nodeId,
    stateDir,
    process: proc,
    waitReady,
    readyz,
    stop: () => proc.stop(),
    restart: () => proc.start(),
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      await proc.dispose();
      if (ownDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** True while something answers on the data plane's port (used to assert it has gone). */
export async function isUp(dp: DataPlane): Promise<boolean> {
  return (await httpStatus(`${dp.url}/healthz`, 500)) !== undefined;
}
