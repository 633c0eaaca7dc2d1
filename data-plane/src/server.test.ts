// Graceful stop: in-flight streams finish, new connections are refused, requests already on their way over open
// connections are answered, and the grace period is a hard limit.
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from './test-support/fake-upstream.ts';
import { startGateway } from './test-support/gateway.ts';
import { sampleSnapshot, secrets } from './test-support/snapshots.ts';

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(async () => {
  await upstream.close();
});

const body = JSON.stringify({ model: 'slow', messages: [{ role: 'user', content: 'hi' }], stream: true });
const headers = { authorization: `Bearer ${secrets.good}`, 'content-type': 'application/json' };

describe('graceful shutdown', () => {
  it('lets an in-flight stream finish before closing', async () => {
    const gw = await startGateway(sampleSnapshot(upstream.url));
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body });
    const text = res.text();
    await new Promise((r) => setTimeout(r, 50));
    expect(gw.server.inFlight()).toBe(1);
    const closed = gw.server.close(5000);
    const full = await text;
    expect(full.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(await closed).toEqual({ drained: true });
    await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow();
    expect(gw.usage.at(-1)).toMatchObject({ status: 200, stream: true });
    await gw.close();
  });

  it('cuts streams that outlive the grace period', async () => {
    const gw = await startGateway(sampleSnapshot(upstream.url));
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body });
    const text = res.text().catch(() => 'cut');
    await new Promise((r) => setTimeout(r, 50));
    expect(await gw.server.close(100)).toEqual({ drained: false });
    // Metered by the time the stop returns (the usage flush comes next), with the prompt and the text relayed.
    const record = gw.usage.at(-1);
    expect(record).toMatchObject({ status: 499, stream: true, cachedInputTokens: 0 });
    expect(record?.inputTokens).toBeGreaterThan(0);
    expect(record?.outputTokens).toBeGreaterThan(0);
    expect(await text).toBe('cut');
    await gw.close();
  });
});

/** GET over `agent` (one keep-alive socket per agent): status and `connection` header, or the network error. */
function get(url: string, agent: Agent): Promise<{ status: number; connection: string | undefined } | string> {
  return new Promise((resolve) => {
    const req = request(`${url}/healthz`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end();
  });
}

describe('draining keep-alive connections', () => {
  it('answers requests that arrive on idle connections after close() began, each with connection: close', async () => {
    const gw = await startGateway(sampleSnapshot(upstream.url), { limits: { drainIdleMs: 10_000 } });
    const agents = Array.from({ length: 20 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
    const warm = await Promise.all(agents.map((a) => get(gw.url, a)));
    expect(warm).toEqual(agents.map(() => ({ status: 200, connection: 'keep-alive' })));
    const closed = gw.server.close(10_000);
    const late = await Promise.all(agents.map((a) => get(gw.url, a)));
    expect(late).toEqual(agents.map(() => ({ status: 200, connection: 'close' })));
    // Every connection closed after its answer: the stop does not wait for drainIdleMs.
    expect(await closed).toEqual({ drained: true });
    for (const a of agents) a.destroy();
    await gw.close();
  });

  it('adds connection: close to a request in flight whose answer has not started yet', async () => {
    const gw = await startGateway(sampleSnapshot(upstream.url), { upstreamTimeoutMs: 300 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answer = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const req = request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'hang', messages: [{ role: 'user', content: 'hi' }] }));
    });
    await vi.waitFor(() => expect(gw.server.inFlight()).toBe(1));
    const closed = gw.server.close(10_000);
    // The provider never answers: the upstream timeout answers 504, on a connection the client must not reuse.
    expect(await answer).toEqual({ status: 504, connection: 'close' });
    expect(await closed).toEqual({ drained: true });
    agent.destroy();
    await gw.close();
  });

  it('closes a connection that stays idle for drainIdleMs', async () => {
    const gw = await startGateway(sampleSnapshot(upstream.url), { limits: { drainIdleMs: 200 } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(gw.url, agent)).toMatchObject({ status: 200 });
    expect(await gw.server.close(10_000)).toEqual({ drained: true });
    agent.destroy();
    await gw.close();
  });
});
