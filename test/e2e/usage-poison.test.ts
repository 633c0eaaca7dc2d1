// Issue 7.1: one bad request never stalls usage for everyone. Model names PostgreSQL cannot store are refused at the
// edge, yet billed (with the text made safe); a record the database still refuses is rejected alone, kept in the
// data plane's dead-letter file, counted and shown on the fleet, and the records behind it reach billing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unstorableTexts } from '@gw/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/wait.ts';
import { type Stack, startStack } from './stack.ts';
import { waitForUsage } from './usage.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ name: 'usage-poison', dataPlanes: 1, dataPlaneEnv: { USAGE_FLUSH_MS: '200' } });
});
afterAll(() => stack?.teardown.run());

/** A chat call sent as raw JSON text, so that lone surrogates travel as `\uD83D` escapes as a hostile client sends them. */
async function chat(
  model: string,
): Promise<{ status: number; body: { error?: Record<string, unknown> }; requestId: string }> {
  const res = await fetch(`${stack.dps[0].url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.seeded.key.secret}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id')! };
}

describe('usage that PostgreSQL cannot store', () => {
  it.each(unstorableTexts)(
    'refuses a model name with %s, bills the refusal and keeps usage flowing',
    async (_, model) => {
      const bad = await chat(model);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'caller_invalid_request',
        param: 'model',
      });
      const good = await chat('gpt-fixture');
      expect(good.status).toBe(200);
      const rows = await waitForUsage(stack.db, [bad.requestId, good.requestId]);
      const refused = rows.find((r) => r.request_id === bad.requestId)!;
      expect(refused).toMatchObject({ status: 400, error_code: 'caller_invalid_request' });
      expect(refused.model).toContain('\uFFFD');
      expect([...refused.model].length).toBeLessThanOrEqual(256);
    },
  );

  it('rejects alone a record the database refuses: dead-lettered, counted, shown on the fleet; the rest is billed', async () => {
    // A rule only this test's database has: whatever the contract lets through, ingestion may still meet a
    // constraint, and then only the record at fault may fail.
    await stack.db.pool.query(`alter table usage_records add constraint no_poison check (model <> 'gpt-poison')`);
    const poison = await chat('gpt-poison'); // an unknown model: 404, and a usage record naming it
    expect(poison.status).toBe(404);
    const after = [];
    for (let i = 0; i < 5; i += 1) after.push(await chat('gpt-fixture'));
    expect(after.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await waitForUsage(
      stack.db,
      after.map((r) => r.requestId),
    );

    const dp = stack.dps[0];
    const file = join(dp.stateDir, 'usage-dead-letter.jsonl');
    const letters = await waitFor('the dead letter', async () => {
      const text = await readFile(file, 'utf8').catch(() => '');
      return text
        ? text
            .trimEnd()
            .split('\n')
            .map((l) => JSON.parse(l))
        : undefined;
    });
    expect(letters).toEqual([
      {
        rejectedAt: expect.any(String),
        reason: expect.stringContaining('SQLSTATE 23514'),
        field: null,
        record: expect.objectContaining({ requestId: poison.requestId, model: 'gpt-poison', status: 404 }),
      },
    ]);
    const metrics = await (await fetch(`${dp.url}/metrics`)).text();
    expect(metrics).toContain('gateway_usage_rejected_total 1');
    expect(metrics).toContain('gateway_usage_dead_letter_records 1');
    const node = await waitFor(
      'the fleet to show the dead letter',
      async () => {
        const r = await stack.admin<{ dataPlaneNodes: { nodes: { usageDeadLetterRecords: number | null }[] } }>(
          `{ dataPlaneNodes(filter: { search: "${dp.nodeId}" }) { nodes { usageDeadLetterRecords usageLastDeadLetterAt } } }`,
        );
        const n = r.dataPlaneNodes.nodes[0];
        return n?.usageDeadLetterRecords === 1 ? n : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(node).toMatchObject({ usageDeadLetterRecords: 1, usageLastDeadLetterAt: expect.any(String) });
    expect(dp.process.output().join('\n')).toContain(
      'control plane rejected a usage record; it is kept in the dead-letter file',
    );
  });
});
