// The provider fixture server, exercised through the official openai client as the data plane's upstream would be.

import OpenAI from 'openai';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../fixture/server.ts';

const apiKey = 'sk-fixture-test';
let fixture: FixtureServer;
let client: OpenAI;

beforeAll(async () => {
  fixture = await startFixtureServer({ apiKey });
  client = new OpenAI({ apiKey, baseURL: fixture.url, maxRetries: 0, timeout: 5_000 });
});
afterAll(() => fixture.close());
beforeEach(() => fixture.reset());

const hello = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'hello there fixture' },
];

describe('fixture: JSON completions', () => {
  it('answers a chat.completion with the echo and word-count usage', async () => {
    const res = await client.chat.completions.create({ model: 'fixture-model', messages: hello });
    expect(res.object).toBe('chat.completion');
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.model).toBe('fixture-model');
    expect(typeof res.created).toBe('number');
    expect(res.system_fingerprint).toBe('fp_fixture01');
    expect(res.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: 'You said: hello there fixture', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
    expect(res.usage).toMatchObject({
      prompt_tokens: 5,
      completion_tokens: 5,
      total_tokens: 10,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(fixture.stats()).toMatchObject({ requests: 1, chatCompletions: 1, streams: 0 });
    expect(fixture.received()[0].authorization).toBe(`Bearer ${apiKey}`);
  });

  it('counts content parts, honours max_tokens and chunks, reports cached tokens', async () => {
    const res = await client.chat.completions.create({
      model: 'fixture-model@chunks=7,cached=2',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'one two' },
            { type: 'text', text: 'three' },
          ],
        },
      ],
      max_tokens: 4,
    });
    expect(res.model).toBe('fixture-model');
    expect(res.choices[0].message.content).toBe('You said: one two');
    expect(res.choices[0].finish_reason).toBe('length');
    expect(res.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    expect(res.usage?.prompt_tokens_details?.cached_tokens).toBe(2);
  });

  it('lists models', async () => {
    const list = await client.models.list();
    expect(list.data.map((m) => m.id)).toEqual(['fixture-model', 'fixture-model-mini']);
  });

  it('waits `latency` ms before answering', async () => {
    const t0 = performance.now();
    await client.chat.completions.create({ model: 'fixture-model@latency=200', messages: hello });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
  });
});

describe('fixture: streaming', () => {
  it('streams role, content, finish chunks and no usage unless asked', async () => {
    const stream = await client.chat.completions.create({ model: 'fixture-model', messages: hello, stream: true });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id)).toBe(true);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('You said: hello there fixture');
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
    expect(chunks).toHaveLength(1 + 5 + 1);
  });

  it('ends with a usage chunk with empty choices when include_usage is set', async () => {
    const stream = await client.chat.completions.create({
      model: 'fixture-model@chunks=3',
      messages: hello,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(
      chunks
        .slice(0, -1)
        .map((c) => c.choices[0].delta.content ?? '')
        .join(''),
    ).toBe('You said: hello');
  });

  it('sends SSE frames ending with data: [DONE]', async () => {
    const res = await request(`${fixture.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fixture-model@chunks=2', messages: hello, stream: true }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const text = await res.body.text();
    const frames = text.split('\n\n').filter((f) => f !== '');
    expect(frames.every((f) => f.startsWith('data: '))).toBe(true);
    expect(frames.at(-1)).toBe('data: [DONE]');
    expect(frames).toHaveLength(1 + 2 + 1 + 1);
  });

  it('spaces chunks by chunkDelay', async () => {
    const t0 = performance.now();
    const stream = await client.chat.completions.create({
      model: 'fixture-model@chunks=4,chunkDelay=50',
      messages: hello,
      stream: true,
    });
    const arrivals: number[] = [];
    for await (const _ of stream) arrivals.push(performance.now() - t0);
    // The SDK yields 6 chunks (role, 4 contents, finish) with 5 gaps of 50 ms; [DONE] is not yielded.
    expect(arrivals).toHaveLength(6);
    expect(arrivals.at(-1)! - arrivals[0]).toBeGreaterThanOrEqual(240);
    for (let i = 1; i < arrivals.length; i += 1) expect(arrivals[i] - arrivals[i - 1]).toBeGreaterThanOrEqual(40);
  });

  it('drops the connection after dropMidStream events', async () => {
    const stream = await client.chat.completions.create({
      model: 'fixture-model@chunks=10,dropMidStream=3',
      messages: hello,
      stream: true,
    });
    const got: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) got.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow();
    expect(got.length).toBeLessThanOrEqual(3);
    expect(got.length).toBeGreaterThanOrEqual(1);
  });

  it('fails the stream with an OpenAI error event after errorMidStream events, then ends it cleanly', async () => {
    const stream = await client.chat.completions.create({
      model: 'fixture-model@chunks=10,chunkDelay=5,errorMidStream=3',
      messages: hello,
      stream: true,
    });
    const got: string[] = [];
    const err = await (async () => {
      for await (const chunk of stream) got.push(chunk.choices[0]?.delta.content ?? '');
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    // role, two contents; then the error event, which the SDK raises.
    expect(got).toEqual(['', 'You', ' said:']);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ type: 'server_error' });
  });
});

describe('fixture: errors', () => {
  it('refuses a wrong or missing API key with an OpenAI 401', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: fixture.url, maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: 'fixture-model', messages: hello })).rejects.toMatchObject({
      constructor: OpenAI.AuthenticationError,
      status: 401,
      code: 'invalid_api_key',
      type: 'invalid_request_error',
    });
    const res = await request(`${fixture.url}/models`);
    expect(res.statusCode).toBe(401);
    expect(await res.body.json()).toMatchObject({ error: { type: 'invalid_request_error', param: null, code: null } });
    expect(fixture.stats()).toMatchObject({ requests: 2, unauthorized: 2, chatCompletions: 0 });
  });

  it.each([
    [400, OpenAI.BadRequestError],
    [404, OpenAI.NotFoundError],
    [429, OpenAI.RateLimitError],
    [500, OpenAI.InternalServerError],
    [503, OpenAI.InternalServerError],
  ])('answers status=%i in the OpenAI error shape', async (status, errorClass) => {
    const call = client.chat.completions.create({ model: `fixture-model@status=${status}`, messages: hello });
    await expect(call).rejects.toBeInstanceOf(errorClass);
    await expect(call).rejects.toMatchObject({ status, error: { message: expect.any(String) } });
  });

  it('rejects malformed JSON, missing fields and unknown directives with 400', async () => {
    const post = (body: string) =>
      request(`${fixture.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body,
      });
    for (const [body, param] of [
      ['{not json', null],
      ['{"messages":[{"role":"user","content":"x"}]}', 'model'],
      ['{"model":"fixture-model"}', 'messages'],
      ['{"model":"fixture-model@bogus=1","messages":[{"role":"user","content":"x"}]}', 'model'],
    ] as const) {
      const res = await post(body);
      expect(res.statusCode, body).toBe(400);
      const json = (await res.body.json()) as { error: Record<string, unknown> };
      expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
      expect(json.error).toMatchObject({ type: 'invalid_request_error', param });
    }
  });

  it('answers unknown routes with an OpenAI 404', async () => {
    const res = await request(`${fixture.url}/nope`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(res.statusCode).toBe(404);
    expect(await res.body.json()).toMatchObject({ error: { message: 'Invalid URL (GET /v1/nope)' } });
  });

  it('hangs until the client times out, and close() ends hanging requests', async () => {
    const impatient = new OpenAI({ apiKey, baseURL: fixture.url, maxRetries: 0, timeout: 300 });
    await expect(
      impatient.chat.completions.create({ model: 'fixture-model@hang', messages: hello }),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const other = await startFixtureServer();
    const pending = fetch(`${other.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm@hang', messages: hello }),
    });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await other.close();
    await expect(pending).rejects.toThrow();
    expect(performance.now() - t0).toBeLessThan(1_000);
  });
});

describe('fixture: inspection routes (for tests that run it as a process)', () => {
  it('serves stats, received requests and reset only when asked to, without counting them', async () => {
    const inspected = await startFixtureServer({ apiKey, inspect: true });
    const origin = inspected.url.replace(/\/v1$/, '');
    try {
      const sdk = new OpenAI({ apiKey, baseURL: inspected.url, maxRetries: 0 });
      await sdk.chat.completions.create({ model: 'fixture-model', messages: hello });
      const stats = (await (await fetch(`${origin}/_fixture/stats`)).json()) as Record<string, unknown>;
      expect(stats).toMatchObject({ requests: 1, chatCompletions: 1, byModel: { 'fixture-model': 1 } });
      const received = (await (await fetch(`${origin}/_fixture/received`)).json()) as { model: string }[];
      expect(received.map((r) => r.model)).toEqual(['fixture-model']);
      expect((await fetch(`${origin}/_fixture/reset`, { method: 'POST' })).status).toBe(200);
      expect(inspected.stats()).toMatchObject({ requests: 0, chatCompletions: 0 });
    } finally {
      await inspected.close();
    }
    // Without `inspect` the routes do not exist (and the key is demanded like anywhere else).
    expect((await fetch(`${fixture.url.replace(/\/v1$/, '')}/_fixture/stats`)).status).toBe(401);
  });
});
