// The load-test tool (loadtest/) run as users run it, a child process, against the provider fixture and an Anthropic stub.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixture/server.ts';
import { repoRoot } from '../harness/paths.ts';

const cli = join(repoRoot, 'loadtest', 'src', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'gw-loadtest-'));
let fixture: FixtureServer;
let anthropic: Server;
let anthropicUrl: string;
const anthropicSeen: { key: string | undefined; stream: boolean }[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { timeout: 30_000, env: { PATH: process.env.PATH } },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Result {
  name: string;
  mode: string;
  sent: number;
  ok: number;
  failed: number;
  successRate: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number } | null;
  ttftMs: { p50: number; p99: number; max: number } | null;
  outputTokens: number;
  errors: { status: number; code: string; count: number }[];
}

async function runJson(args: string[]): Promise<Result[]> {
  const r = await run([...args, '--json', '-']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { results: Result[] }).results;
}

/** Just enough of Anthropic's Messages API: JSON and the SSE event sequence, with x-api-key checked. */
function anthropicStub(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    const body = JSON.parse(raw) as { stream?: boolean };
    const key = req.headers['x-api-key'] as string | undefined;
    anthropicSeen.push({ key, stream: Boolean(body.stream) });
    if (req.url !== '/v1/messages' || key !== 'sk-ant') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}');
      return;
    }
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ type: 'message', content: [{ type: 'text', text: 'hi' }], usage: { output_tokens: 3 } }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const events: [string, object][] = [
      ['message_start', { type: 'message_start', message: { usage: { input_tokens: 2, output_tokens: 1 } } }],
      ['content_block_start', { type: 'content_block_start', index: 0 }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['message_delta', { type: 'message_delta', usage: { output_tokens: 4 } }],
      ['message_stop', { type: 'message_stop' }],
    ];
    res.end(events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join(''));
  });
}

beforeAll(async () => {
  fixture = await startFixtureServer();
  anthropic = createServer(anthropicStub);
  await new Promise<void>((r) => anthropic.listen(0, '127.0.0.1', r));
  anthropicUrl = `http://127.0.0.1:${(anthropic.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await fixture.close();
  await new Promise((r) => anthropic.close(r));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => fixture.reset());

describe('loadtest: closed loop', () => {
  it('sends exactly the requested count at the given concurrency and reports rate and latency percentiles', async () => {
    const [r] = await runJson(['--url', fixture.url, '--key', 'sk-1', '-n', '60', '-c', '6']);
    expect(r).toMatchObject({ mode: 'closed-loop', sent: 60, ok: 60, failed: 0, successRate: 100, errors: [] });
    expect(fixture.stats().chatCompletions).toBe(60);
    expect(r.requestsPerSecond).toBeGreaterThan(0);
    const l = r.latencyMs!;
    expect(l.p50).toBeGreaterThan(0);
    expect(l.p50).toBeLessThanOrEqual(l.p90);
    expect(l.p90).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.max);
    expect(r.outputTokens).toBeGreaterThan(0);
  });

  it('prints a readable report and writes the same result to --json PATH', async () => {
    const out = join(dir, 'result.json');
    const r = await run(['--url', `fixture=${fixture.url}`, '--key', 'sk-1', '-n', '10', '--json', out]);
    expect(r.code, r.stderr).toBe(0);
    for (const label of ['fixture', 'success rate', '100 %', 'requests/s', 'latency p50 ms', 'latency p99 ms']) {
      expect(r.stdout).toContain(label);
    }
    const written = JSON.parse(readFileSync(out, 'utf8')) as { results: Result[] };
    expect(written.results[0]).toMatchObject({ name: 'fixture', sent: 10, ok: 10 });
  });

  it('streams and measures time to first token below the whole latency', async () => {
    const [r] = await runJson([
      '--url',
      fixture.url,
      '--key',
      'sk-1',
      '-n',
      '20',
      '-c',
      '4',
      '--stream',
      '-m',
      'fixture-model@chunks=5,chunkDelay=20',
    ]);
    expect(r).toMatchObject({ sent: 20, ok: 20 });
    expect(fixture.stats().streams).toBe(20);
    // Four more chunks, 20 ms apart, follow the first token.
    expect(r.ttftMs!.p50).toBeLessThan(r.latencyMs!.p50 - 50);
    expect(r.outputTokens).toBe(20 * 5);
  });

  it('spreads requests over the keys of a keys file, round-robin', async () => {
    const file = join(dir, 'keys.txt');
    writeFileSync(file, '# one key per org\nsk-org-a\nsk-org-b\n\nsk-org-c\n');
    const [r] = await runJson(['--url', fixture.url, '--keys-file', file, '-n', '30', '-c', '3']);
    expect(r.ok).toBe(30);
    const byKey = new Map<string, number>();
    for (const req of fixture.received()) byKey.set(req.authorization!, (byKey.get(req.authorization!) ?? 0) + 1);
    expect(Object.fromEntries(byKey)).toEqual({ 'Bearer sk-org-a': 10, 'Bearer sk-org-b': 10, 'Bearer sk-org-c': 10 });
  });
});

describe('loadtest: open loop', () => {
  it('keeps the planned rate for the planned duration', async () => {
    const [r] = await runJson(['--url', fixture.url, '--key', 'sk-1', '--rate', '40', '--duration', '1s']);
    expect(r.mode).toBe('open-loop');
    // Request i is due at i/40 s, for i/40 < 1 s: exactly 40.
    expect(r.sent).toBe(40);
    expect(r.ok).toBe(40);
    expect(fixture.stats().chatCompletions).toBe(40);
  });
});

describe('loadtest: errors', () => {
  it('groups failures by status and code: error answers, streams cut midway, refused connections', async () => {
    const [answers] = await runJson(['--url', fixture.url, '--key', 'k', '-n', '8', '-m', 'm@status=429']);
    expect(answers).toMatchObject({ sent: 8, ok: 0, failed: 8, successRate: 0, latencyMs: null });
    expect(answers.errors).toEqual([expect.objectContaining({ status: 429, code: 'rate_limit_exceeded', count: 8 })]);

    const [cut] = await runJson([
      '--url',
      fixture.url,
      '--key',
      'k',
      '-n',
      '4',
      '-s',
      '-m',
      'm@chunks=6,dropMidStream=2',
    ]);
    expect(cut.failed).toBe(4);
    expect(cut.errors).toHaveLength(1);
    expect(cut.errors[0].count).toBe(4);
    expect(['stream_incomplete', 'UND_ERR_SOCKET', 'ECONNRESET']).toContain(cut.errors[0].code);

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const [refused] = await runJson(['--url', `http://127.0.0.1:${port}/v1`, '--key', 'k', '-n', '3', '-c', '1']);
    expect(refused.errors).toEqual([expect.objectContaining({ status: 0, code: 'ECONNREFUSED', count: 3 })]);
  });

  it('exits 1 under --min-success, and 2 listing every problem of a bad command line', async () => {
    const low = await run(['--url', fixture.url, '--key', 'k', '-n', '4', '-m', 'm@status=500', '--min-success', '99']);
    expect(low.code).toBe(1);
    const bad = await run(['--url', 'ftp://x', '-c', '0', '--duration', 'soon', '--api', 'grpc']);
    expect(bad.code).toBe(2);
    for (const p of ['--url must be an http(s) URL', '--concurrency must be', '--duration must', '--api must']) {
      expect(bad.stderr).toContain(p);
    }
  });
});

describe('loadtest: Anthropic API and comparison', () => {
  it('speaks the Messages API with x-api-key, JSON and streamed', async () => {
    const [json] = await runJson(['--api', 'anthropic', '--url', anthropicUrl, '--key', 'sk-ant', '-n', '5']);
    expect(json).toMatchObject({ sent: 5, ok: 5, outputTokens: 15 });
    const [stream] = await runJson(['--api', 'anthropic', '--url', anthropicUrl, '--key', 'sk-ant', '-n', '5', '-s']);
    expect(stream).toMatchObject({ sent: 5, ok: 5, outputTokens: 20 });
    expect(stream.ttftMs).not.toBeNull();
    const [denied] = await runJson(['--api', 'anthropic', '--url', anthropicUrl, '--key', 'nope', '-n', '2']);
    expect(denied.errors).toEqual([expect.objectContaining({ status: 401, code: 'authentication_error', count: 2 })]);
    expect(anthropicSeen.filter((s) => s.stream)).toHaveLength(5);
  });

  it('runs the same test against several URLs, each with its own key, and prints them side by side', async () => {
    const args = ['--url', `ours=${fixture.url}`, '--url', `theirs=${fixture.url}`, '--key', 'ours=sk-ours'];
    const r = await run([...args, '--key', 'theirs=sk-theirs', '-n', '12', '-c', '3']);
    expect(r.code, r.stderr).toBe(0);
    const header = r.stdout.split('\n')[0];
    expect(header).toMatch(/^\s+ours\s+theirs$/);
    expect(r.stdout).toMatch(/success rate\s+100 %\s+100 %/);
    const keys = fixture.received().map((q) => q.authorization);
    expect(keys.filter((k) => k === 'Bearer sk-ours')).toHaveLength(12);
    expect(keys.filter((k) => k === 'Bearer sk-theirs')).toHaveLength(12);
  });
});
