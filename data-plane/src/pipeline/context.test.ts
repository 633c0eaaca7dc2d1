// What the in-flight journal reads of a running stream: the provider's usage once reported, else estimates that cost
// nothing to keep up to date (the body at bytes / 3, one output token per event relayed).
import { describe, expect, it } from 'vitest';
import type { StreamTransform, TokenUsage } from '../providers/types.ts';
import { RequestContext, streamTokensSoFar } from './context.ts';

const counted = { inputTokens: 99, outputTokens: 99, cachedInputTokens: 0 };
const transform = (usage: TokenUsage | null, events: number): StreamTransform => ({
  push: (chunk) => chunk,
  end: () => null,
  usage,
  events,
  countedUsage: () => counted,
});

describe('streamTokensSoFar', () => {
  it.each([
    ['no stream yet', null, { inputTokens: 100, outputTokens: 0, cachedInputTokens: 0 }],
    ['no usage yet', transform(null, 7), { inputTokens: 100, outputTokens: 7, cachedInputTokens: 0 }],
    [
      'usage reported',
      transform({ inputTokens: 12, outputTokens: 5, cachedInputTokens: 4 }, 9),
      { inputTokens: 12, outputTokens: 5, cachedInputTokens: 4 },
    ],
  ])('%s', (_, t, expected) => {
    const ctx = new RequestContext('r');
    ctx.bodyBytes = 299;
    ctx.transform = t;
    ctx.tokensSoFar = streamTokensSoFar;
    expect(ctx.tokensSoFar()).toEqual(expected);
  });
});
