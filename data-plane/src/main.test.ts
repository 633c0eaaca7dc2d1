// The real process (node src/main.ts) against a fake control plane: sync, serve, meter, persist, SIGTERM,
// a restart that serves from disk while the control plane is down, and usage that survives a SIGKILL.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { snapshotHash } from '@gw/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeControlPlane, startFakeControlPlane } from './test-support/fake-control-plane.ts';
import { type FakeUpstream, startFakeUpstream } from './test-support/fake-upstream.ts';
import { providerApiKey, sampleSnapshot, secrets } from './test-support/snapshots.ts';

const token = 'dp-token-main-test';
let upstream: FakeUpstream;
let cp: FakeControlPlane;
let stateDir: string;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  cp = await startFakeControlPlane({ token });
  stateDir = await mkdtemp(join(tmpdir(), 'dp-main-'));
});
afterAll(async () => {
  await cp.close();
  await upstream.close();
  await rm(stateDir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

async function startDataPlane(cpUrl: string, env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'main.ts')], {
    env: {
      ...process.env,
      CONTROL_PLANE_URL: cpUrl,
      DATA_PLANE_TOKEN: token,
      DP_PORT: '0',
      NODE_ID: 'main-test',
      DP_STATE_DIR: stateDir,
      USAGE_FLUSH_MS: '50',
      SHUTDOWN_GRACE_MS: '3000',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { msg?: string; url?: string };
      if (msg.msg === 'listening' && msg.url) resolve(msg.url);
    });
    child.once('exit', (code) => reject(new Error(`data plane exited with ${code}`)));
  });
  return { child, url, exited };
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every segment of the usage spool, concatenated. */
async function spooled(): Promise<string> {
  const dir = join(stateDir, 'usage-spool');
  const names = existsSync(dir) ? (await readdir(dir)).filter((n) => n.startsWith('seg-')).sort() : [];
  let text = '';
  for (const n of names) text += await readFile(join(dir, n), 'utf8');
  return text;
}

const chat = (url: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secrets.good}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'one two three' }] }),
  });

describe('data plane process', () => {
  it('syncs, serves, reports, ships usage, persists, and exits 0 on SIGTERM', async () => {
    const dp = await startDataPlane(cp.httpUrl);
    expect((await fetch(`${dp.url}/readyz`)).status).toBe(503);
    const sub = await cp.subscription(1);
    expect(sub.variables).toEqual({ nodeId: 'main-test', appliedVersion: null, appliedHash: null, protocol: 2 });
    const snapshot = sampleSnapshot(upstream.url);
    sub.next({ type: 'full', version: 5, hash: snapshotHash(snapshot), part: 1, parts: 1, resources: snapshot });
    await until(async () => (await fetch(`${dp.url}/readyz`)).status === 200);

    const res = await chat(dp.url);
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    await res.arrayBuffer();

    await until(() => cp.posts.some((p) => p.query.includes('ingestUsage')));
    const ingest = cp.posts.find((p) => p.query.includes('ingestUsage'))!;
    expect(ingest.authorization).toBe(`Bearer ${token}`);
    expect(ingest.query).toContain('ingestUsage(batch: $b)');
    expect((ingest.variables.b as { records: { requestId: string; inputTokens: number }[] }).records).toMatchObject([
      { requestId, inputTokens: 3, outputTokens: 5 },
    ]);
    await until(() =>
      cp.posts.some(
        (p) =>
          p.query.includes('reportNodeStatus') && (p.variables.i as { appliedVersion: number }).appliedVersion === 5,
      ),
    );
    const status = cp.posts.filter((p) => p.query.includes('reportNodeStatus')).at(-1)!.variables.i;
    expect(status).toMatchObject({
      nodeId: 'main-test',
      appliedVersion: 5,
      appliedHash: snapshotHash(snapshot),
      source: 'control-plane',
      version: '0.1.0',
    });

    await until(() => existsSync(join(stateDir, 'snapshot.json')));
    expect(await readFile(join(stateDir, 'snapshot.json'), 'utf8')).not.toContain(providerApiKey);

    dp.child.kill('SIGTERM');
    expect(await dp.exited).toBe(0);
  });

  it('boots from disk while the control plane is down, and keeps unsent usage in the spool', async () => {
    const dp = await startDataPlane('http://127.0.0.1:9'); // nothing listens on the discard port
    const ready = (await (await fetch(`${dp.url}/readyz`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ status: 'ready', version: 5, source: 'disk' });
    const res = await chat(dp.url);
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id')!;
    await res.arrayBuffer();
    dp.child.kill('SIGTERM');
    expect(await dp.exited).toBe(0);
    expect(await spooled()).toContain(requestId);
  });

  it('has usage on disk within ~100 ms, so a SIGKILL keeps it, and sends it after the restart', async () => {
    // A send timer far away: only the spool's own 100 ms write timer can put the record on disk.
    const dp = await startDataPlane('http://127.0.0.1:9', { USAGE_FLUSH_MS: '600000' });
    const res = await chat(dp.url);
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id')!;
    await res.arrayBuffer();
    const t0 = performance.now();
    await until(async () => (await spooled()).includes(requestId), 2000);
    expect(performance.now() - t0).toBeLessThan(400);
    dp.child.kill('SIGKILL');
    await dp.exited;

    const again = await startDataPlane(cp.httpUrl);
    await until(() =>
      cp.posts.some((p) => p.query.includes('ingestUsage') && JSON.stringify(p.variables).includes(requestId)),
    );
    await until(async () => !(await spooled()).includes(requestId));
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    expect(await spooled()).toBe(''); // everything acknowledged: no segment left
  });
});
