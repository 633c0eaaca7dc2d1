// Counting an OpenAI chat stream that ended without the provider's usage: the prompt in OpenAI's chat accounting,
// and the text the stream relayed (content, tool-call arguments, refusals) as the SSE scan keeps it.
import { describe, expect, it } from 'vitest';
import { estimateTokens, TokenCounter } from '../../usage/token-count.ts';
import type { ChatRequest } from '../types.ts';
import { chatPromptTokens } from './count.ts';
import { DeliveredText } from './delivered-text.ts';
import { OpenAIStreamTransform } from './stream.ts';

const tokens = (text: string) => new TokenCounter('gpt-4o').count(text);
const prompt = (body: Record<string, unknown>) => chatPromptTokens(body, new TokenCounter('gpt-4o'));
const request = (body: Record<string, unknown>): ChatRequest => ({
  body,
  model: 'public',
  stream: true,
  includeUsage: false,
});
const hi = { messages: [{ role: 'user', content: 'hi' }] };

function event(delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const chunk = { id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] };
  return `data: ${JSON.stringify({ ...chunk, usage: null, ...extra })}\n\n`;
}

/** A transform fed `sse` in pieces of `size` bytes, ended. */
function relayed(sse: string, size = sse.length, body: Record<string, unknown> = hi): OpenAIStreamTransform {
  const t = new OpenAIStreamTransform({ keepUsageChunk: false, request: request(body), upstreamModel: 'gpt-4o' });
  const bytes = Buffer.from(sse);
  for (let i = 0; i < bytes.length; i += size) t.push(bytes.subarray(i, i + size));
  t.end();
  return t;
}

describe('chatPromptTokens', () => {
  it('counts each message as 3 tokens, its role and its content, and primes the answer with 3', () => {
    expect(prompt(hi)).toBe(3 + tokens('user') + tokens('hi') + 3);
    // gpt-tokenizer's own chat encoding of these two messages for gpt-4o is 21 tokens.
    const chat = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'Hello, world!' },
    ];
    expect(prompt({ messages: chat })).toBe(21);
  });

  it('adds a name (and 1), the text parts of a content array, a refusal; not images', () => {
    const parts = [
      { type: 'text', text: 'What is in this picture?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      { type: 'text', text: 'Be brief.' },
    ];
    expect(prompt({ messages: [{ role: 'user', name: 'ann', content: parts }] })).toBe(
      3 + tokens('user') + tokens('ann') + 1 + tokens('What is in this picture?') + tokens('Be brief.') + 3,
    );
    expect(prompt({ messages: [{ role: 'assistant', content: 'x', refusal: 'I cannot help with that.' }] })).toBe(
      3 + tokens('assistant') + tokens('x') + tokens('I cannot help with that.') + 3,
    );
  });

  it('counts tool calls (name and arguments, 3 each) and tool results', () => {
    const args = '{"city":"Paris","unit":"celsius"}';
    const messages = [
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: args } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '18 degrees' },
    ];
    expect(prompt({ messages })).toBe(
      3 +
        tokens('user') +
        tokens('Weather?') +
        (3 + tokens('assistant') + tokens('get_weather') + tokens(args) + 3 + tokens('get_time') + tokens('{}') + 3) +
        (3 + tokens('tool') + tokens('18 degrees')) +
        3,
    );
  });

  it('counts the tool definitions the request offers', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather of a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const withTools = prompt({ ...hi, tools });
    expect(withTools - prompt(hi)).toBeGreaterThan(9 + tokens('get_weather'));
    // A schema its TypeScript-like rendering does not understand is counted as its JSON, and does not throw.
    const odd = [
      { type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: null } } } },
    ];
    expect(prompt({ ...hi, tools: odd })).toBeGreaterThan(prompt(hi) + 9);
  });
});

describe('the text a stream relayed', () => {
  const words = ['Hello', ',', ' wor', 'ld', '!', ' "quoted"', ' line\nbreak', ' é ✓ 日本'];
  const sse = [
    event({ role: 'assistant', content: '', refusal: null }),
    ...words.map((w) => event({ content: w })),
    event({}, { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }),
  ].join('');

  it('is the concatenated content, whatever the read boundaries', () => {
    for (const size of [1, 2, 3, 7, 50, sse.length]) {
      const t = relayed(sse, size);
      expect(t.usage).toBeNull();
      expect(t.countedUsage()).toEqual({
        inputTokens: prompt(hi),
        outputTokens: tokens(words.join('')),
        cachedInputTokens: 0,
      });
    }
  });

  it('counts tool-call argument deltas and refusal text; JSON that merely mentions a key is text', () => {
    const call = (args: string) => event({ tool_calls: [{ index: 0, function: { arguments: args } }] });
    const stream =
      event({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] }) +
      call('{"content":') +
      call(' "x"}') +
      event({ refusal: 'I cannot help with that.' });
    const t = relayed(stream, 5);
    expect(t.countedUsage().outputTokens).toBe(tokens('{"content": "x"}I cannot help with that.'));
  });

  it('counts only complete events: an event cut by the end of the stream is not text that was relayed whole', () => {
    const cut = event({ content: 'one' }) + event({ content: 'two' }).slice(0, 60);
    expect(relayed(cut, 4).countedUsage().outputTokens).toBe(tokens('one'));
  });

  it('is left alone when the provider reported usage: those figures win', () => {
    const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
    const t = relayed(`${sse}data: ${JSON.stringify({ id: 'c', choices: [], usage })}\n\ndata: [DONE]\n\n`, 9);
    expect(t.usage).toEqual({ inputTokens: 11, outputTokens: 7, cachedInputTokens: 0 });
  });

  it('counts nothing for a stream cut before any content, but still the prompt', () => {
    expect(relayed(event({ role: 'assistant', content: '' })).countedUsage()).toEqual({
      inputTokens: prompt(hi),
      outputTokens: 0,
      cachedInputTokens: 0,
    });
  });
});

describe('DeliveredText', () => {
  it('keeps text up to its cap and counts the size of the rest, estimated at bytes / 3', () => {
    const kept = new DeliveredText(10);
    const piece = Buffer.from('abcdefgh');
    kept.add(piece, 0, 8);
    kept.add(piece, 0, 8);
    kept.add(piece, 0, 2);
    kept.commit();
    expect(kept.text()).toBe('abcdefghab');
    expect(kept.overflowBytes).toBe(8);
    // The first 25,000 bytes fit the stream's 32 KiB and are counted; the next 25,000 do not and are estimated.
    const long = 'word '.repeat(5_000);
    const t = relayed(event({ content: long }) + event({ content: long }));
    expect(t.countedUsage().outputTokens).toBe(tokens(long) + estimateTokens(long.length));
  });

  it('hands its buffer to the next stream once released, and then holds nothing', () => {
    const first = new DeliveredText();
    first.add(Buffer.from('abc'), 0, 3);
    first.commit();
    first.release();
    const next = new DeliveredText();
    next.add(Buffer.from('xyz'), 0, 3);
    next.commit();
    expect(first.text()).toBe('');
    expect(next.text()).toBe('xyz');
  });

  it('takes back what was added since the last commit', () => {
    const kept = new DeliveredText();
    const piece = Buffer.from('abc');
    kept.add(piece, 0, 3);
    kept.commit();
    kept.add(piece, 0, 3);
    kept.rollback();
    expect(kept.text()).toBe('abc');
  });
});
