// Slow, silent and idle clients against a real data plane: each connection timeout cuts them, MAX_CONNECTIONS
// refuses the surplus, and a provider stream that outlives every timeout still reaches its caller whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataPlane } from '../harness/data-plane.ts';
import { waitFor } from '../harness/wait.ts';
import { RawConnection, rawRequest } from './raw-http.ts';
import { type Stack, startStack } from './stack.ts';

const headersTimeoutMs = 500;
const requestReadTimeoutMs = 1_000;
const keepAliveTimeoutMs = 500;
const maxConnections = 4;
/** Generous: a cut must come from the server within this, or the timeout is not in force. */
const cutWithinMs = 10_000;

let stack: Stack;
let timed: DataPlane;
let capped: DataPlane;

beforeAll(async () => {
  stack = await startStack({
    name: 'connections',
    dataPlanes: 0,
    // Words 1.2 s apart: each gap is longer than every timeout above, the whole stream longer than all of them.
    models: [{ name: 'slow-stream', upstreamModel: 'fixture-model@chunks=3,chunkDelay=1200' }],
  });
  timed = await stack.addDataPlane('timed', {
    env: {
      HEADERS_TIMEOUT_MS: String(headersTimeoutMs),
      REQUEST_READ_TIMEOUT_MS: String(requestReadTimeoutMs),
      KEEP_ALIVE_TIMEOUT_MS: String(keepAliveTimeoutMs),
    },
  });
  capped = await stack.addDataPlane('capped', { env: { MAX_CONNECTIONS: String(maxConnections) } });
});
afterAll(() => stack?.teardown.run());

const auth = () => ({ authorization: `Bearer ${stack.seeded.key.secret}`, 'content-type': 'application/json' });

/** Waits for the server to close the connection; the test fails if it never does. */
async function cut(conn: RawConnection): Promise<string> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`the data plane kept the connection open ${cutWithinMs} ms`)), cutWithinMs),
  );
  const { received } = await Promise.race([conn.closed, timeout]);
  return received;
}

describe('connection timeouts', () => {
  it('closes a connection that never sends a byte', async () => {
    const conn = await RawConnection.open(timed.url);
    expect(await cut(conn)).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });

  it('answers 408 to headers that stop halfway', async () => {
    const conn = await RawConnection.open(timed.url);
    conn.write('POST /v1/chat/completions HTTP/1.1\r\nhost: gateway\r\n');
    expect(await cut(conn)).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers 408 to headers trickled faster than the timeout but never finished in time', async () => {
    const conn = await RawConnection.open(timed.url);
    conn.write('GET /healthz HTTP/1.1\r\n');
    // One header line every 100 ms: the connection is never silent for as long as the timeout.
    conn.trickle('x-pad: 1\r\n'.repeat(1000), 100, 10);
    expect(await cut(conn)).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes an idle keep-alive connection after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const conn = await RawConnection.open(timed.url);
    conn.write(rawRequest('GET', '/healthz'));
    const res = await conn.response();
    expect(res.status).toBe(200);
    expect(res.headers['keep-alive']).toBe(`timeout=${Math.floor(keepAliveTimeoutMs / 1000)}`);
    await cut(conn);
  });

  it('answers 408 to a request body trickled past REQUEST_READ_TIMEOUT_MS, without an error log', async () => {
    const body = JSON.stringify({ model: 'slow-stream', messages: [{ role: 'user', content: 'x'.repeat(2000) }] });
    const conn = await RawConnection.open(timed.url);
    const request = rawRequest('POST', '/v1/chat/completions', auth(), body);
    const split = request.indexOf('\r\n\r\n') + 4;
    conn.write(request.slice(0, split));
    conn.trickle(request.slice(split), 50, 10);
    expect(await cut(conn)).toMatch(/^HTTP\/1\.1 408 /);
    expect(timed.process.output().filter((l) => l.includes('"level":50'))).toEqual([]);
  });

  it('lets a stream that outlives every timeout, with gaps longer than each, reach its caller whole', async () => {
    const stream = await stack.client(timed).chat.completions.create({
      model: 'slow-stream',
      messages: [{ role: 'user', content: 'one two three' }],
      stream: true,
    });
    const words: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) words.push(piece.trim());
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(words).toHaveLength(3);
    expect(finish).toBe('stop');
  });
});

describe('MAX_CONNECTIONS', () => {
  it('closes connections beyond the cap at once, counts them, and accepts again once one closes', async () => {
    // Other clients (the harness's readiness probes) may still hold a connection: open until one is refused.
    const held: RawConnection[] = [];
    let refused: RawConnection | undefined;
    while (!refused && held.length <= maxConnections) {
      const conn = await RawConnection.open(capped.url);
      conn.write(rawRequest('GET', '/healthz'));
      try {
        expect((await conn.response()).status).toBe(200);
        held.push(conn);
      } catch {
        refused = conn;
      }
    }
    expect(refused).toBeDefined();
    expect(held.length).toBeLessThanOrEqual(maxConnections);
    expect((await refused!.closed).received).toBe('');

    for (const conn of held) conn.close();
    await Promise.all(held.map((c) => c.closed));
    const metrics = await waitFor('the data plane to accept connections again', async () => {
      const res = await fetch(`${capped.url}/metrics`);
      return res.ok ? res.text() : undefined;
    });
    expect(metrics).toMatch(/^gateway_connections_refused_total [1-9]/m);
  });
});
