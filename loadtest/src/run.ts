// Drives one target: a closed loop (N requests in flight) or an open loop (a fixed schedule), over one undici Agent.
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { Options, Target } from './options.ts';
import { Recorder, type TargetResult } from './result.ts';
import { errorFromBody, type Failure, judgeJson, type PreparedRequest, prepareRequest, StreamJudge } from './wire.ts';

export interface Progress {
  /** Called about five times a second and once at the end. */
  tick(r: Recorder, elapsedMs: number): void;
}

export interface RunControl {
  /** Set to stop issuing new requests; those in flight finish. */
  stopped: boolean;
}

interface Outcome {
  ttftMs: number | null;
  outputTokens: number;
  failure: Failure | null;
}

async function send(agent: Agent, req: PreparedRequest, key: string, o: Options, t0: number): Promise<Outcome> {
  try {
    const res = await request(req.url, {
      method: 'POST',
      headers: { ...req.headers, ...req.auth(key) },
      body: req.body,
      dispatcher: agent,
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    if (res.statusCode >= 300) {
      return { ttftMs: null, outputTokens: 0, failure: errorFromBody(res.statusCode, await res.body.text()) };
    }
    const streamed = (res.headers['content-type'] ?? '').toString().includes('text/event-stream');
    if (!o.stream || !streamed) {
      const judged = judgeJson(o.api, res.statusCode, await res.body.text());
      if (o.stream && !judged.failure) {
        return {
          ttftMs: null,
          outputTokens: 0,
          failure: { status: res.statusCode, code: 'not_a_stream', message: '' },
        };
      }
      return { ttftMs: null, ...judged };
    }
    const judge = new StreamJudge(o.api, res.statusCode);
    res.body.setEncoding('utf8');
    for await (const chunk of res.body) judge.push(chunk as string, performance.now());
    const judged = judge.end(performance.now());
    return { ttftMs: judge.firstTokenAt === null ? null : judge.firstTokenAt - t0, ...judged };
  } catch (e) {
    const err = e as Error & { code?: string };
    const code = err.name === 'TimeoutError' ? 'timeout' : (err.code ?? err.name);
    return { ttftMs: null, outputTokens: 0, failure: { status: 0, code, message: err.message } };
  }
}

/** Runs the test against one target; resolves once every request it sent has finished. */
export async function runTarget(
  target: Target,
  o: Options,
  control: RunControl,
  progress?: Progress,
): Promise<TargetResult> {
  const req = prepareRequest(target.url, o);
  const agent = new Agent({
    connections: o.concurrency,
    connectTimeout: Math.min(o.timeoutMs, 10_000),
    headersTimeout: o.timeoutMs,
    bodyTimeout: o.timeoutMs,
    keepAliveTimeout: 30_000,
  });
  try {
    if (o.warmup > 0) {
      const warm = new Recorder();
      await closedLoop(agent, req, target, { ...o, requests: o.warmup, durationMs: null }, warm, control);
    }
    const rec = new Recorder();
    const start = performance.now();
    const timer = progress && setInterval(() => progress.tick(rec, performance.now() - start), 200);
    try {
      if (o.rate !== null) await openLoop(agent, req, target, o, rec, control, start);
      else await closedLoop(agent, req, target, o, rec, control, start);
    } finally {
      if (timer) clearInterval(timer);
    }
    const elapsed = performance.now() - start;
    progress?.tick(rec, elapsed);
    const base = {
      name: target.name,
      url: target.url,
      api: o.api,
      mode: o.rate === null ? ('closed-loop' as const) : ('open-loop' as const),
      stream: o.stream,
      concurrency: o.concurrency,
      rate: o.rate,
    };
    return rec.result(base, elapsed, control.stopped);
  } finally {
    await agent.close();
  }
}

async function one(
  agent: Agent,
  req: PreparedRequest,
  target: Target,
  o: Options,
  rec: Recorder,
  index: number,
  plannedAt: number,
): Promise<void> {
  rec.started();
  const outcome = await send(agent, req, target.keys[index % target.keys.length], o, plannedAt);
  rec.finished(performance.now() - plannedAt, outcome.ttftMs, outcome.outputTokens, outcome.failure);
}

/** `concurrency` workers, each sending its next request as soon as the previous one has finished. */
async function closedLoop(
  agent: Agent,
  req: PreparedRequest,
  target: Target,
  o: Options,
  rec: Recorder,
  control: RunControl,
  start = performance.now(),
): Promise<void> {
  let next = 0;
  const more = () =>
    !control.stopped &&
    (o.requests === null || next < o.requests) &&
    (o.durationMs === null || performance.now() - start < o.durationMs);
  const worker = async () => {
    while (more()) {
      const index = next++;
      await one(agent, req, target, o, rec, index, performance.now());
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
}

/**
 * Request i is due at start + i / rate whatever happened to the others. At most `concurrency` are in flight; a due
 * request waits for a free slot, and its latency counts from when it was due (no coordinated omission).
 */
async function openLoop(
  agent: Agent,
  req: PreparedRequest,
  target: Target,
  o: Options,
  rec: Recorder,
  control: RunControl,
  start: number,
): Promise<void> {
  const rate = o.rate as number;
  const interval = 1000 / rate;
  // Requests due before the duration ends (i / rate < duration), counted on indexes: comparing due times made of
  // `start + i * interval` against the duration lets float rounding add one more.
  const planned = o.durationMs === null ? Number.POSITIVE_INFINITY : Math.ceil((o.durationMs * rate) / 1000 - 1e-9);
  const total = Math.min(o.requests ?? Number.POSITIVE_INFINITY, planned);
  const waiting: { index: number; due: number }[] = [];
  const running = new Set<Promise<void>>();
  let next = 0;
  const launch = () => {
    while (waiting.length && running.size < o.concurrency && !control.stopped) {
      const { index, due } = waiting.shift()!;
      const p = one(agent, req, target, o, rec, index, due).finally(() => {
        running.delete(p);
        launch();
      });
      running.add(p);
    }
  };
  while (!control.stopped && next < total) {
    const due = start + next * interval;
    const wait = due - performance.now();
    if (wait > 1) {
      await new Promise((r) => setTimeout(r, Math.min(wait, 50)));
      continue;
    }
    waiting.push({ index: next, due });
    next += 1;
    launch();
  }
  // Stopped early: what is still waiting was never sent. Otherwise each finishing request launches a waiting one.
  if (control.stopped) waiting.length = 0;
  while (running.size) await Promise.race(running);
}
