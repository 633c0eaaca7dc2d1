// Load generator process: sends chat completions to one target at a fixed rate or at a fixed concurrency, prints JSON.
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { summarize } from './stats.ts';

/** What one run of the generator reports on its stdout (one JSON line). */
export interface LoadResult {
  mode: 'rate' | 'concurrency';
  sent: number;
  ok: number;
  errors: number;
  /** First non-2xx status or network error, for the report. */
  firstError: string | null;
  durationS: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Streams only: time to the first body byte. */
  ttfbMs: { p50: number; p99: number } | null;
}

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    model: { type: 'string' },
    rate: { type: 'string' },
    concurrency: { type: 'string' },
    duration: { type: 'string', default: '10' },
    stream: { type: 'boolean', default: false },
  },
  strict: true,
});

if (!values.url || !values.key || !values.model || (values.rate === undefined) === (values.concurrency === undefined)) {
  process.stderr.write(
    'usage: load.ts --url U --key K --model M (--rate R | --concurrency C) [--duration S] [--stream]\n',
  );
  process.exit(2);
}

const target = new URL(values.url);
const durationMs = Number(values.duration) * 1000;
const body = JSON.stringify({
  model: values.model,
  messages: [
    { role: 'system', content: 'You are a concise assistant for a B2B SaaS product.' },
    { role: 'user', content: 'Summarise the status of ticket 4711 in one sentence, please.' },
  ],
  max_tokens: 64,
  stream: values.stream,
});
const headers = { authorization: `Bearer ${values.key}`, 'content-type': 'application/json' };

// Enough sockets that a fixed rate never queues behind a slow response; the pool keeps them alive.
const connections = values.rate ? 256 : Number(values.concurrency);
const pool = new Pool(target.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });

const latencies: number[] = [];
const ttfbs: number[] = [];
let sent = 0;
let ok = 0;
let errors = 0;
let firstError: string | null = null;

function failed(what: string): void {
  errors += 1;
  firstError ??= what;
}

async function once(): Promise<void> {
  sent += 1;
  const start = performance.now();
  try {
    const res = await pool.request({ method: 'POST', path: target.pathname, headers, body });
    let first = 0;
    for await (const _chunk of res.body) if (!first) first = performance.now();
    const end = performance.now();
    if (res.statusCode >= 200 && res.statusCode < 300) {
      ok += 1;
      latencies.push(end - start);
      if (values.stream) ttfbs.push((first || end) - start);
    } else failed(`HTTP ${res.statusCode}`);
  } catch (err) {
    failed(err instanceof Error ? err.message : String(err));
  }
}

/** Open loop: requests leave on schedule whether or not earlier ones have answered (no coordinated omission). */
async function atRate(rate: number): Promise<number> {
  const inFlight = new Set<Promise<void>>();
  const begin = performance.now();
  const interval = 1000 / rate;
  let next = 0;
  while (performance.now() - begin < durationMs) {
    const due = Math.floor((performance.now() - begin) / interval) + 1;
    for (; next < due; next += 1) {
      const p = once().finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const elapsed = performance.now() - begin;
  await Promise.all(inFlight);
  return elapsed;
}

/** Closed loop: `n` workers each send the next request as soon as the previous one has answered. */
async function atConcurrency(n: number): Promise<number> {
  const begin = performance.now();
  const worker = async () => {
    while (performance.now() - begin < durationMs) await once();
  };
  await Promise.all(Array.from({ length: n }, worker));
  return performance.now() - begin;
}

const elapsedMs = values.rate ? await atRate(Number(values.rate)) : await atConcurrency(Number(values.concurrency));
const lat = summarize(latencies);
const ttfb = values.stream ? summarize(ttfbs) : null;
const result: LoadResult = {
  mode: values.rate ? 'rate' : 'concurrency',
  sent,
  ok,
  errors,
  firstError,
  durationS: elapsedMs / 1000,
  rps: ok / (elapsedMs / 1000),
  latencyMs: lat,
  ttfbMs: ttfb && { p50: ttfb.p50, p99: ttfb.p99 },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await pool.close();
