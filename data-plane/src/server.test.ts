// Graceful stop: in-flight streams finish, new connections are refused, and the grace period is a hard limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(await text).toBe('cut');
    await gw.close();
  });
});
