// The OpenAI adapter: request rewrite, usage from JSON, the incremental SSE transform, error mapping.
import { describe, expect, it } from 'vitest';
import { openaiFailure } from './errors.ts';
import { openaiChatRequest } from './request.ts';
import { openaiChatUsage } from './response.ts';
import { OpenAIStreamTransform } from './stream.ts';

const usage = {
  prompt_tokens: 11,
  completion_tokens: 7,
  total_tokens: 18,
  prompt_tokens_details: { cached_tokens: 4 },
};

function chunk(i: number, withNullUsage: boolean): string {
  const c = { id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: `w${i}` } }] };
  return `data: ${JSON.stringify(withNullUsage ? { ...c, usage: null } : c)}\n\n`;
}
const usageChunk = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', choices: [], usage })}\n\n`;
const done = 'data: [DONE]\n\n';

const streamOptions = (keepUsageChunk: boolean) => ({
  keepUsageChunk,
  request: { body: { messages: [{ role: 'user', content: 'hi' }] }, model: 'm', stream: true, includeUsage: false },
  upstreamModel: 'gpt-4o',
});

function run(transform: OpenAIStreamTransform, pieces: (string | Buffer)[]): string {
  let out = '';
  for (const p of pieces) out += transform.push(Buffer.isBuffer(p) ? p : Buffer.from(p))?.toString('utf8') ?? '';
  out += transform.end()?.toString('utf8') ?? '';
  return out;
}

/** Splits a string into pieces of `size` bytes (cutting through events, lines and UTF-8 sequences). */
function slices(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

describe('openai request', () => {
  it('swaps in the upstream model and always asks for usage on streams, remembering nothing in the body', () => {
    const r = openaiChatRequest(
      {
        body: { model: 'public', messages: [], stream: true, temperature: 0.3 },
        model: 'public',
        stream: true,
        includeUsage: false,
      },
      'upstream-x',
      'sk-secret',
    );
    expect(JSON.parse(r.body)).toEqual({
      model: 'upstream-x',
      messages: [],
      stream: true,
      temperature: 0.3,
      stream_options: { include_usage: true },
    });
    expect(r.headers.authorization).toBe('Bearer sk-secret');
    expect(r.path).toBe('/chat/completions');
  });

  it('leaves non-streaming bodies without stream_options', () => {
    const r = openaiChatRequest(
      { body: { model: 'p', messages: [] }, model: 'p', stream: false, includeUsage: false },
      'u',
      'k',
    );
    expect(JSON.parse(r.body)).toEqual({ model: 'u', messages: [] });
  });
});

describe('openai response usage', () => {
  it('reads usage, including cached prompt tokens', () => {
    expect(openaiChatUsage(Buffer.from(JSON.stringify({ choices: [], usage })))).toEqual({
      inputTokens: 11,
      outputTokens: 7,
      cachedInputTokens: 4,
    });
  });
  it('finds usage wherever it sits, with strings that contain braces around it', () => {
    const body = { usage, choices: [{ message: { content: 'a "usage": {"prompt_tokens": 99} }' } }] };
    expect(openaiChatUsage(Buffer.from(JSON.stringify(body)))?.inputTokens).toBe(11);
    expect(openaiChatUsage(Buffer.from(JSON.stringify({ choices: [], usage: null })))).toBeNull();
    expect(openaiChatUsage(Buffer.from(JSON.stringify({ choices: [], usage }, null, 2)))?.outputTokens).toBe(7);
  });

  it('returns null for bodies without usage or not JSON', () => {
    expect(openaiChatUsage(Buffer.from('{"choices":[]}'))).toBeNull();
    expect(openaiChatUsage(Buffer.from('nope'))).toBeNull();
  });
});

describe('openai stream transform', () => {
  const upstream = chunk(0, true) + chunk(1, true) + chunk(2, true) + usageChunk + done;

  it('picks up usage and strips the usage-only chunk when the caller did not ask for it', () => {
    const t = new OpenAIStreamTransform(streamOptions(false));
    const out = run(t, [upstream]);
    expect(out).toBe(chunk(0, true) + chunk(1, true) + chunk(2, true) + done);
    expect(t.usage).toEqual({ inputTokens: 11, outputTokens: 7, cachedInputTokens: 4 });
  });

  it('keeps the usage chunk when the caller asked for include_usage', () => {
    const t = new OpenAIStreamTransform(streamOptions(true));
    expect(run(t, [upstream])).toBe(upstream);
    expect(t.usage?.outputTokens).toBe(7);
  });

  it('gives the same result whatever the read boundaries (events, lines and UTF-8 split)', () => {
    const withUnicode = chunk(0, true).replace('w0', 'héllo ✓ 日本') + upstream;
    const expected = new OpenAIStreamTransform(streamOptions(false));
    const whole = run(expected, [withUnicode]);
    for (const size of [1, 2, 3, 7, 16, 64, 100]) {
      const t = new OpenAIStreamTransform(streamOptions(false));
      expect(run(t, slices(withUnicode, size))).toBe(whole);
      expect(t.usage?.inputTokens).toBe(11);
      expect(t.events).toBe(withUnicode.split('data:').length - 1);
    }
    expect(whole).not.toContain('"usage":{');
  });

  it('forwards complete events as soon as they arrive and holds back only a partial one', () => {
    const t = new OpenAIStreamTransform(streamOptions(false));
    const first = chunk(0, true);
    const half = chunk(1, true).slice(0, 20);
    expect(t.push(Buffer.from(first + half))?.toString()).toBe(first);
    expect(t.push(Buffer.from(chunk(1, true).slice(20)))?.toString()).toBe(chunk(1, true));
  });

  it('passes usage:null chunks through untouched (fast path) and handles CRLF events', () => {
    const t = new OpenAIStreamTransform(streamOptions(false));
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const out = run(t, slices(crlf(chunk(0, true) + usageChunk + done), 5));
    expect(out).toBe(crlf(chunk(0, true) + done));
    expect(t.usage?.outputTokens).toBe(7);
  });

  it('forwards a stream without usage unchanged, including a tail without a final blank line', () => {
    const t = new OpenAIStreamTransform(streamOptions(false));
    const text = `${chunk(0, false)}data: [DONE]`;
    expect(run(t, slices(text, 9))).toBe(text);
    expect(t.usage).toBeNull();
  });

  it('keeps a usage chunk that also carries choices (it is content, not just usage)', () => {
    const t = new OpenAIStreamTransform(streamOptions(false));
    const mixed = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'x' } }], usage })}\n\n`;
    expect(run(t, [mixed])).toBe(mixed);
    expect(t.usage?.inputTokens).toBe(11);
  });
});

describe('openai error mapping', () => {
  it('maps statuses to gateway codes and keeps the provider message only for bad requests', () => {
    const body = Buffer.from(JSON.stringify({ error: { message: 'max_tokens is too large' } }));
    expect(openaiFailure(400, body)).toEqual({ code: 'provider_bad_request', message: 'max_tokens is too large' });
    expect(openaiFailure(429, body).code).toBe('provider_rate_limited');
    expect(openaiFailure(401, body)).toMatchObject({ code: 'provider_auth_failed' });
    expect(openaiFailure(401, body).message).not.toContain('max_tokens');
    expect(openaiFailure(403, body).code).toBe('provider_auth_failed');
    expect(openaiFailure(404, body).code).toBe('provider_model_not_found');
    expect(openaiFailure(404, body).message).not.toContain('max_tokens');
    expect(openaiFailure(500, body).code).toBe('provider_error');
    expect(openaiFailure(503, Buffer.from('')).code).toBe('provider_error');
    expect(openaiFailure(400, Buffer.from('plain text')).message).toBe('plain text');
  });
});
