// Control-plane outages: traffic keeps flowing, usage lands exactly once afterwards, data planes boot from disk.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DataPlane } from '../harness/data-plane.ts';
import { sleep, waitFor } from '../harness/wait.ts';
import { expectExactlyOnce, recordedIds, settledDiff } from './exactly-once.ts';
import { type Stack, startStack } from './stack.ts';
import { orgUsage, usageRows, waitForUsage } from './usage.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ name: 'outage' });
});
afterAll(() => stack?.teardown.run());
// A failed test must not leave the next one without a control plane.
afterEach(async () => {
  if (!stack.cp.process.running) await stack.cp.restart();
});

/** SIGTERM on the control plane; a non-zero exit is reported (soft) without hiding the rest of the test. */
async function stopControlPlane(): Promise<void> {
  const code = await stack.cp.stop();
  expect.soft(code, `control plane exit code after SIGTERM:\n${stack.cp.process.tail(5)}`).toBe(0);
}

/** One completion (streamed every third call); returns the data plane's request id. */
async function call(dp: DataPlane, n: number): Promise<string> {
  const client = stack.client(dp);
  const messages = [{ role: 'user' as const, content: `call number ${n}` }];
  if (n % 3 === 0) {
    const { data, request_id } = await client.chat.completions
      .create({ model: 'gpt-fixture', messages, stream: true })
      .withResponse();
    let text = '';
    for await (const c of data) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe(`You said: call number ${n}`);
    return request_id!;
  }
  const res = await client.chat.completions.create({ model: 'gpt-fixture', messages });
  expect(res.choices[0].message.content).toBe(`You said: call number ${n}`);
  return res._request_id!;
}

/** Sends calls alternating between the data planes until `stop()`; collects request ids and failures. */
function traffic() {
  const ids: string[] = [];
  const failures: string[] = [];
  let running = true;
  const done = (async () => {
    for (let n = 0; running && n < 10_000; n += 1) {
      try {
        ids.push(await call(stack.dps[n % 2], n));
      } catch (e) {
        failures.push(String(e));
      }
      await sleep(10);
    }
  })();
  return {
    ids,
    failures,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

describe('control plane outage', () => {
  it('serves through a control-plane restart and records every call exactly once', async () => {
    const before = await recordedIds(stack.db);
    const load = traffic();
    await sleep(500);
    await stopControlPlane();
    const duringFrom = load.ids.length;
    await sleep(2_000);
    const during = load.ids.length - duringFrom;
    await stack.cp.restart();
    await sleep(500);
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(during).toBeGreaterThan(5); // traffic really flowed while the control plane was down

    // The rows added since `before` are exactly the ids the clients saw; late retries must not add any.
    const diff = await settledDiff(stack.db, load.ids, {
      ignore: new Set(before.keys()),
      timeoutMs: 30_000,
      settleMs: 1_500,
    });
    expectExactlyOnce(diff);
    const rows = await usageRows(stack.db, load.ids);
    expect(rows.every((r) => r.status === 200 && r.error_code === null)).toBe(true);
    expect((await orgUsage(stack.admin, stack.seeded.org.id)).requests).toBe(before.size + load.ids.length);
  });

  it('keeps usage in the spool across a data-plane stop while the control plane is down', async () => {
    const dp = stack.dps[1];
    await stopControlPlane();
    const ids: string[] = [];
    for (let n = 0; n < 6; n += 1) ids.push(await call(dp, 100 + n));
    expect(await dp.stop()).toBe(0);
    expect(await usageRows(stack.db, ids)).toEqual([]);
    await stack.cp.restart();
    await dp.restart();
    const rows = await waitForUsage(stack.db, ids, 20_000);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.node_id))).toEqual(new Set([dp.nodeId]));
  });

  it('a data plane started while the control plane is down serves from its disk snapshot', async () => {
    const dp = stack.dps[0];
    const { configState } = await stack.admin<{ configState: { version: number; hash: string } }>(
      '{ configState { version hash } }',
    );
    await waitFor('dp1 to hold the current version', async () => {
      const r = await dp.readyz();
      return (r.body as { version?: number }).version === configState.version;
    });
    await dp.stop();
    await stopControlPlane();
    await dp.restart();
    const ready = await dp.waitReady(5_000);
    expect(ready).toMatchObject({ version: configState.version, hash: configState.hash, source: 'disk' });
    const id = await call(dp, 200);

    // A data plane with nothing on disk cannot serve yet: 503 gateway_not_ready in the OpenAI shape.
    const empty = await stack.addDataPlane('empty', { waitReady: false });
    expect((await empty.readyz()).status).toBe(503);
    const err = await stack
      .client(empty)
      .chat.completions.create({ model: 'gpt-fixture', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err).toMatchObject({ status: 503, code: 'gateway_not_ready' });

    await stack.cp.restart();
    await empty.waitReady(15_000);
    await waitFor('dp1 to resync from the control plane', async () => {
      const r = await dp.readyz();
      return (r.body as { source?: string }).source === 'control-plane';
    });
    await waitForUsage(stack.db, [id], 20_000);
  });
});
