// Graceful shutdown: SIGTERM lets an open stream finish, refuses new work, flushes usage and exits 0.
import { Client } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait.ts';
import { type Stack, startStack } from './stack.ts';
import { waitForUsage } from './usage.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    name: 'shutdown',
    models: [
      { name: 'gpt-fixture', upstreamModel: 'fixture-model' },
      { name: 'slow-stream', upstreamModel: 'fixture-model@chunks=20,chunkDelay=100' },
    ],
  });
});
afterAll(() => stack?.teardown.run());

describe('SIGTERM on a data plane', () => {
  it('finishes the stream in flight, refuses new requests, flushes its usage and exits 0', async () => {
    const dp = stack.dps[0];
    const { data: stream, request_id } = await stack
      .client(dp)
      .chat.completions.create({
        model: 'slow-stream',
        messages: [{ role: 'user', content: 'a b c d' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const words: string[] = [];
    let finish: string | null = null;
    let usage: { completion_tokens: number } | null | undefined;
    let signalled = false;
    let refused: { status: number | null; code: string | null } | undefined;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) words.push(piece.trim());
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
      if (words.length === 3 && !signalled) {
        signalled = true;
        dp.process.signal('SIGTERM');
        // A request that arrives before the process has handled the signal is rightly served: wait for the handler.
        await waitFor('the data plane to handle SIGTERM', () =>
          dp.process.output().some((line) => line.includes('"msg":"shutting down"')),
        );
        // New work is refused while the stream drains: 503 gateway_shutting_down, or no listener at all.
        refused = await fetch(`${dp.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.seeded.key.secret}` },
          body: JSON.stringify({ model: 'gpt-fixture', messages: [{ role: 'user', content: 'late' }] }),
        }).then(
          async (r) => ({ status: r.status, code: ((await r.json()) as { error: { code: string } }).error.code }),
          () => ({ status: null, code: null }),
        );
      }
    }
    expect(signalled).toBe(true);
    expect(words).toHaveLength(20);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(20);
    expect([
      { status: 503, code: 'gateway_shutting_down' },
      { status: null, code: null },
    ]).toContainEqual(refused);
    expect(await dp.process.waitForExit(15_000)).toBe(0);
    const [row] = await waitForUsage(stack.db, [request_id!], 5_000);
    expect(row).toMatchObject({ node_id: dp.nodeId, status: 200, output_tokens: 20, stream: true });
  });

  it('cuts a stream that outlives SHUTDOWN_GRACE_MS and still exits', async () => {
    const dp = await stack.addDataPlane('short-grace', { env: { SHUTDOWN_GRACE_MS: '1000' } });
    const { data: stream } = await stack
      .client(dp)
      .chat.completions.create({
        model: 'slow-stream',
        messages: [{ role: 'user', content: 'endless' }],
        stream: true,
      })
      .withResponse();
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const t0 = performance.now();
    dp.process.signal('SIGTERM');
    const drained = (async () => {
      let n = 1;
      try {
        while (!(await iterator.next()).done) n += 1;
      } catch {
        // the cut may surface as a network error
      }
      return n;
    })();
    expect(await dp.process.waitForExit(15_000)).toBe(0);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(1_000 + 5_000);
    expect(await drained).toBeLessThan(22); // role + 20 words + finish would be the whole stream
  });

  it('answers every request sent on an idle keep-alive connection right after SIGTERM: none is reset', async () => {
    // A long idle window, so that only the fix, not the timing, decides whether the connections are still open.
    const dp = await stack.addDataPlane('keep-alive', { env: { SHUTDOWN_IDLE_MS: '15000' } });
    const clients = Array.from({ length: 24 }, () => new Client(dp.url, { pipelining: 1 }));
    const warm = await Promise.all(clients.map((c) => c.request({ method: 'GET', path: '/healthz' })));
    for (const res of warm) await res.body.dump();
    expect(warm.map((r) => r.statusCode)).toEqual(clients.map(() => 200));

    dp.process.signal('SIGTERM');
    await waitFor('the data plane to handle SIGTERM', () =>
      dp.process.output().some((line) => line.includes('"msg":"shutting down"')),
    );
    const answers = await Promise.all(
      clients.map((c) =>
        c
          .request({
            method: 'POST',
            path: '/v1/chat/completions',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.seeded.key.secret}` },
            body: JSON.stringify({ model: 'gpt-fixture', messages: [{ role: 'user', content: 'late' }] }),
          })
          .then(
            async (r) => ({
              status: r.statusCode,
              connection: r.headers.connection,
              code: ((await r.body.json()) as { error: { code: string } }).error.code,
            }),
            (err: Error & { code?: string }) => ({ error: err.code ?? err.message }),
          ),
      ),
    );
    expect(answers).toEqual(clients.map(() => ({ status: 503, connection: 'close', code: 'gateway_shutting_down' })));
    expect(await dp.process.waitForExit(30_000)).toBe(0);
    await Promise.all(clients.map((c) => c.close()));
  });
});
