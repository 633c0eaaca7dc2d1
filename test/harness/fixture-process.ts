// The provider fixture as a process of its own (`node test/fixture/main.ts --inspect`), with its counters and the
// requests it received read over its inspection routes.
import type { FixtureStats, ReceivedRequest } from '../fixture/server.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';

export interface FixtureProcess {
  /** http://127.0.0.1:PORT/v1 — the base URL a provider credential points at. */
  url: string;
  port: number;
  process: ManagedProcess;
  stats(): Promise<FixtureStats>;
  /** The last 1000 authenticated chat-completions requests, oldest first. */
  received(): Promise<ReceivedRequest[]>;
  reset(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startFixtureProcess(
  opts: {
    apiKey?: string;
    name?: string;
    cpuCore?: number;
    /** Keep the inspection routes' request log (default true); benchmarks turn it off. */
    inspect?: boolean;
  } = {},
): Promise<FixtureProcess> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const args = ['test/fixture/main.ts', '--port', String(port)];
  if (opts.inspect ?? true) args.push('--inspect');
  if (opts.apiKey) args.push('--api-key', opts.apiKey);
  const proc = new ManagedProcess({
    name: opts.name ?? 'fixture',
    args,
    env: {},
    healthUrl: `${origin}/healthz`,
    cpuCore: opts.cpuCore,
  });
  await proc.start();
  const get = async <T>(path: string, method = 'GET'): Promise<T> => {
    const res = await fetch(`${origin}/_fixture/${path}`, { method, signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`fixture ${method} ${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  return {
    url: `${origin}/v1`,
    port,
    process: proc,
    stats: () => get<FixtureStats>('stats'),
    received: () => get<ReceivedRequest[]>('received'),
    reset: async () => {
      await get('reset', 'POST');
    },
    dispose: () => proc.dispose(),
  };
}
