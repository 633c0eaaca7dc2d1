// /metrics is for operators: a bearer token when METRICS_TOKEN is set, otherwise callers on this host only.
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { expectError } from '../test-support/expect-error.ts';
import { startGateway, type TestGateway } from '../test-support/gateway.ts';
import { sampleSnapshot } from '../test-support/snapshots.ts';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

/** An address of this machine that is not loopback, so that a request to it arrives from a non-loopback peer. */
function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') return a.address;
  }
  return undefined;
}

describe('/metrics access', () => {
  it('demands the token when METRICS_TOKEN is set, compared exactly', async () => {
    gw = await startGateway(sampleSnapshot(), { metricsToken: 'scrape-secret' });
    await expectError(await fetch(`${gw.url}/metrics`), 'caller_metrics_forbidden');
    await expectError(
      await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer scrape-secre' } }),
      'caller_metrics_forbidden',
    );
    const ok = await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('gateway_requests_total');
  });

  it('answers loopback callers without a token', async () => {
    gw = await startGateway(sampleSnapshot());
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(200);
  });

  const address = externalAddress();
  it.runIf(address)('refuses callers from another address when no token is set', async () => {
    gw = await startGateway(sampleSnapshot(), { host: '0.0.0.0' });
    const port = new URL(gw.url).port;
    const res = await fetch(`http://${address}:${port}/metrics`);
    const { message } = await expectError(res, 'caller_metrics_forbidden');
    expect(message).toContain('METRICS_TOKEN');
    // The API itself is not affected.
    expect((await fetch(`http://${address}:${port}/healthz`)).status).toBe(200);
  });
});
