// Request validation: every invalid field is rejected with its `param`, nothing is clamped.
import { unstorableTexts } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { validateChatRequest } from './chat-request.ts';

const ok = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

function param(body: unknown): string | null | undefined {
  const d = validateChatRequest(body);
  return d.ok ? undefined : d.param;
}

describe('validateChatRequest', () => {
  it('accepts a minimal body and keeps unknown fields', () => {
    const d = validateChatRequest({ ...ok, custom: 1 });
    expect(d.ok && d.request).toEqual({ body: { ...ok, custom: 1 }, model: 'm', stream: false, includeUsage: false });
  });

  it('remembers whether the caller asked for usage on a stream', () => {
    const d = validateChatRequest({ ...ok, stream: true, stream_options: { include_usage: true } });
    expect(d.ok && d.request.includeUsage).toBe(true);
    const e = validateChatRequest({ ...ok, stream: true });
    expect(e.ok && e.request).toMatchObject({ stream: true, includeUsage: false });
  });

  it('rejects non-object bodies', () => {
    for (const b of [null, [], 'x', 3]) {
      const d = validateChatRequest(b);
      expect(d).toMatchObject({ ok: false, code: 'caller_invalid_request', param: null });
    }
  });

  it.each([
    [{ messages: ok.messages }, 'model'],
    [{ ...ok, model: '' }, 'model'],
    [{ ...ok, model: 5 }, 'model'],
    [{ ...ok, model: 'x'.repeat(257) }, 'model'],
    ...unstorableTexts.map(([, model]) => [{ ...ok, model }, 'model'] as [object, string]),
    [{ model: 'm' }, 'messages'],
    [{ ...ok, messages: [] }, 'messages'],
    [{ ...ok, messages: 'hi' }, 'messages'],
    [{ ...ok, messages: ['hi'] }, 'messages[0]'],
    [{ ...ok, messages: [{ content: 'x' }] }, 'messages[0].role'],
    [{ ...ok, messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
    [{ ...ok, messages: [{ role: 'user' }] }, 'messages[0].content'],
    [{ ...ok, messages: [ok.messages[0], { role: 'user', content: 5 }] }, 'messages[1].content'],
    [{ ...ok, messages: [{ role: 'user', content: [] }] }, 'messages[0].content'],
    [{ ...ok, messages: [{ role: 'user', content: [{ text: 'x' }] }] }, 'messages[0].content[0]'],
    [{ ...ok, stream: 'yes' }, 'stream'],
    [{ ...ok, stream: 1 }, 'stream'],
    [{ ...ok, stream_options: { include_usage: true } }, 'stream_options'],
    [{ ...ok, stream: true, stream_options: { include_usage: 'yes' } }, 'stream_options.include_usage'],
    [{ ...ok, stream: true, stream_options: 3 }, 'stream_options'],
    [{ ...ok, temperature: 3 }, 'temperature'],
    [{ ...ok, temperature: '1' }, 'temperature'],
    [{ ...ok, top_p: 1.5 }, 'top_p'],
    [{ ...ok, n: 0 }, 'n'],
    [{ ...ok, n: 1.5 }, 'n'],
    [{ ...ok, max_tokens: 0 }, 'max_tokens'],
    [{ ...ok, max_completion_tokens: -1 }, 'max_completion_tokens'],
    [{ ...ok, presence_penalty: -3 }, 'presence_penalty'],
    [{ ...ok, stop: [1] }, 'stop'],
    [{ ...ok, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop'],
    [{ ...ok, user: 1 }, 'user'],
    [{ ...ok, tools: {} }, 'tools'],
    [{ ...ok, response_format: 'json' }, 'response_format'],
  ])('rejects %j with param %s', (body, expected) => {
    expect(param(body)).toBe(expected);
  });

  it('accepts the tricky valid shapes', () => {
    for (const body of [
      { ...ok, messages: [{ role: 'assistant', content: null, tool_calls: [] }] },
      { ...ok, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] },
      { ...ok, stream: null, temperature: null, stop: 'x' },
      { ...ok, temperature: 0, top_p: 1, n: 2, max_tokens: 10, stop: ['a'] },
    ]) {
      expect(validateChatRequest(body).ok).toBe(true);
    }
  });
});
