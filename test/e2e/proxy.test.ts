// The happy path through both data planes with the official openai client: JSON, SSE, usage accounting, node status.
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExactlyOnce, settledDiff } from './exactly-once.ts';
import { fixtureApiKey, type Stack, startStack } from './stack.ts';
import { defaultCost, orgUsage, waitForUsage } from './usage.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ name: 'proxy' });
});
afterAll(() => stack?.teardown.run());

async function collect(stream: AsyncIterable<OpenAI.Chat.ChatCompletionChunk>) {
  const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
  for await (const c of stream) chunks.push(c);
  return chunks;
}

describe('proxying through two data planes', () => {
  const requestIds: string[] = [];
  const expected = { input: 0, output: 0 };

  it.each([0, 1])('data plane %i answers a non-streaming completion', async (i) => {
    const client = stack.client(stack.dps[i]);
    const res = await client.chat.completions.create({
      model: 'gpt-fixture',
      messages: [{ role: 'user', content: `hello from client ${i}` }],
    });
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0].message).toMatchObject({ role: 'assistant', content: `You said: hello from client ${i}` });
    expect(res.choices[0].finish_reason).toBe('stop');
    expect(res.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 6, total_tokens: 10 });
    expect(res._request_id).toBeTruthy();
    requestIds.push(res._request_id!);
    expected.input += 4;
    expected.output += 6;
  });

  it.each([0, 1])('data plane %i streams without usage unless asked', async (i) => {
    const client = stack.client(stack.dps[i]);
    const { data: stream, request_id } = await client.chat.completions
      .create({ model: 'gpt-fixture', messages: [{ role: 'user', content: 'stream me please' }], stream: true })
      .withResponse();
    const chunks = await collect(stream);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('You said: stream me please');
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.filter((c) => c.usage)).toEqual([]);
    expect(request_id).toBeTruthy();
    requestIds.push(request_id!);
    expected.input += 3;
    expected.output += 5;
  });

  it.each([0, 1])('data plane %i streams a final usage chunk when include_usage is set', async (i) => {
    const client = stack.client(stack.dps[i]);
    const { data: stream, request_id } = await client.chat.completions
      .create({
        model: 'gpt-fixture',
        messages: [
          { role: 'system', content: 'two words' },
          { role: 'user', content: 'count these tokens' },
        ],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const chunks = await collect(stream);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 });
    expect(
      chunks
        .slice(0, -1)
        .map((c) => c.choices[0]?.delta.content ?? '')
        .join(''),
    ).toBe('You said: count these tokens');
    requestIds.push(request_id!);
    expected.input += 5;
    expected.output += 5;
  });

  it('forwarded the upstream model and the provider key, never the virtual key', async () => {
    const received = await stack.fixture.received();
    expect(received).toHaveLength(6);
    for (const r of received) {
      expect(r.model).toBe('fixture-model');
      expect(r.authorization).toBe(`Bearer ${fixtureApiKey}`);
      expect(JSON.stringify(r.headers)).not.toContain(stack.seeded.key.secret);
    }
  });

  it('lists the allowed models on both data planes', async () => {
    for (const dp of stack.dps) {
      const list = await stack.client(dp).models.list();
      expect(list.data.map((m) => m.id)).toEqual(['gpt-fixture']);
    }
  });

  it('records every call exactly once in PostgreSQL, with tokens and cost', async () => {
    expect(new Set(requestIds).size).toBe(6);
    const rows = await waitForUsage(stack.db, requestIds);
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.node_id))).toEqual(new Set(stack.dps.map((d) => d.nodeId)));
    for (const r of rows) {
      expect(r).toMatchObject({ key_id: stack.seeded.key.id, model: 'gpt-fixture', status: 200, error_code: null });
      expect(r.cost_usd).toBeCloseTo(defaultCost(r.input_tokens, r.output_tokens), 12);
    }
    expect(rows.filter((r) => r.stream)).toHaveLength(4);
    expect(rows.reduce((s, r) => s + r.input_tokens, 0)).toBe(expected.input);
    expect(rows.reduce((s, r) => s + r.output_tokens, 0)).toBe(expected.output);
    // The whole table holds exactly these six ids: nothing extra, nothing twice.
    expectExactlyOnce(await settledDiff(stack.db, requestIds, { settleMs: 500 }));

    const totals = await orgUsage(stack.admin, stack.seeded.org.id);
    expect(totals).toMatchObject({
      requests: 6,
      errors: 0,
      inputTokens: expected.input,
      outputTokens: expected.output,
    });
    expect(totals.costUsd).toBeCloseTo(defaultCost(expected.input, expected.output), 9);
  });
});
