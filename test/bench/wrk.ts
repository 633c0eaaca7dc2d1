// The benchmark's load generator: Debian's `wrk` (native, so it is not what saturates first) driven by wrk/chat.lua,
// closed loop or at a fixed rate; one run gives one LoadResult.
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Summary } from './stats.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./wrk/chat.lua', import.meta.url));

/** What one wrk run measured, as chat.lua's done() reports it. */
export interface LoadResult {
  /** Requests/s asked for; null in closed loop (as fast as the connections go). */
  requestedRps: number | null;
  /** Answers wrk read to the end, error statuses included. */
  requests: number;
  /** Socket errors (connect, read, write, timeout) plus answers with a status over 399. */
  errors: number;
  errorKinds: { connect: number; read: number; write: number; timeout: number; status: number };
  durationS: number;
  rps: number;
  /** From writing the request to the end of the answer; not corrected for coordinated omission. */
  latencyMs: Summary;
}

export interface LoadSpec {
  /** Origin of the target, e.g. http://127.0.0.1:8080. */
  url: string;
  key: string;
  model: string;
  stream: boolean;
  /** Requests/s; null for closed loop. */
  rate: number | null;
  seconds: number;
  connections: number;
  threads: number;
  /** Core wrk runs on (taskset); undefined: wherever the scheduler puts it. */
  core?: number;
}

interface WrkLine {
  requests: number;
  duration_us: number;
  errors: LoadResult['errorKinds'];
  latency_us: Summary;
}

/** chat.lua's JSON line (the last stdout line that starts with "{") as a LoadResult. */
export function parseWrkOutput(stdout: string, requestedRps: number | null): LoadResult {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`wrk printed no figures:\n${stdout}`);
  const w = JSON.parse(line) as WrkLine;
  const durationS = w.duration_us / 1e6;
  const e = w.errors;
  const ms = (us: number) => us / 1000;
  return {
    requestedRps,
    requests: w.requests,
    errors: e.connect + e.read + e.write + e.timeout + e.status,
    errorKinds: e,
    durationS,
    rps: w.requests / durationS,
    latencyMs: {
      p50: ms(w.latency_us.p50),
      p90: ms(w.latency_us.p90),
      p99: ms(w.latency_us.p99),
      max: ms(w.latency_us.max),
      mean: ms(w.latency_us.mean),
    },
  };
}

/** wrk's command line for a spec: POST /v1/chat/completions, the script's arguments after `--`. */
export function wrkArgs(spec: LoadSpec): string[] {
  return [
    `--threads=${spec.threads}`,
    `--connections=${spec.connections}`,
    // wrk takes whole seconds; a fraction would be cut silently.
    `--duration=${Math.max(1, Math.round(spec.seconds))}s`,
    '--timeout=10s',
    `--script=${script}`,
    `${spec.url}/v1/chat/completions`,
    '--',
    spec.key,
    spec.model,
    String(spec.stream),
    String(spec.rate ?? 0),
    String(spec.threads),
  ];
}

export async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const args = wrkArgs(spec);
  const [cmd, argv] = spec.core === undefined ? ['wrk', args] : ['taskset', ['-c', String(spec.core), 'wrk', ...args]];
  const { stdout } = await run(cmd, argv, { maxBuffer: 1 << 20 });
  return parseWrkOutput(stdout, spec.rate);
}

/** Installs Debian's wrk when it is missing (as root, with apt-get); otherwise says how to. */
export function ensureWrk(): void {
  if (spawnSync('wrk', ['-v'], { stdio: 'ignore' }).error === undefined) return;
  if (process.getuid?.() !== 0) throw new Error('wrk is missing: install it (apt-get install -y wrk) and run again');
  console.log('Installing wrk (apt-get install -y wrk)…');
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'wrk'],
  ]) {
    const r = spawnSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
}
