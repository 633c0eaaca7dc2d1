// The slow-path token counter: real BPE counts, the encoding per model, segments that do not change a count, and
// the bytes / 3 estimate past the budget.
import { describe, expect, it } from 'vitest';
import { encodingFor, estimateTokens, exactBudgetBytes, TokenCounter } from './token-count.ts';

const count = (text: string, model = 'gpt-4o') => new TokenCounter(model).count(text);

describe('TokenCounter', () => {
  // Token ids as published for these encodings (tiktoken's README: "tiktoken is great!" is 6 cl100k tokens).
  it.each([
    ['Hello, world!', 'gpt-4o', 4],
    ['hello world', 'gpt-4o', 2],
    ['The quick brown fox jumps over the lazy dog.', 'gpt-4o', 10],
    ['tiktoken is great!', 'gpt-4', 6],
    ['hello world', 'gpt-3.5-turbo', 2],
    ['日本語のテキスト', 'gpt-4o', 6],
    ['日本語のテキスト', 'gpt-4', 8],
    ['{"city":"Paris","unit":"celsius"}', 'gpt-4o', 10],
  ])('counts %j with %s as %i tokens', (text, model, tokens) => {
    expect(count(text, model)).toBe(tokens);
  });

  it('counts nothing for an empty text', () => {
    expect(count('')).toBe(0);
  });

  it('counts a special token in a caller text as the plain text it is, without throwing', () => {
    expect(count('<|endoftext|>')).toBe(7);
    expect(count('a <|im_start|> b')).toBeGreaterThan(3);
  });

  it('gives a long text the same count as its sentences, though it hands the tokenizer segments of it', () => {
    const sentence = 'The quick brown fox jumps over the lazy dog, and "quoted" text (with parens) 12345 times.\n\n';
    const long = sentence.repeat(40);
    expect(long.length).toBeGreaterThan(3000);
    // Each sentence starts after "\n\n", which the tokenizer keeps as one piece: 40 sentences count as 40 times one.
    expect(count(long)).toBe(40 * count(sentence));
  });

  it('counts a long run without spaces (CJK, base64) in bounded segments, close to its whole count', () => {
    const run = '日本語のテキスト'.repeat(100);
    const tokens = count(run);
    expect(tokens).toBeGreaterThanOrEqual(100 * 6 * 0.9);
    expect(tokens).toBeLessThanOrEqual(100 * 6 * 1.1);
  });

  it('estimates a text larger than the budget at bytes / 3, rounded up, without tokenizing it', () => {
    const huge = 'word '.repeat(exactBudgetBytes / 5 + 1);
    const bytes = Buffer.byteLength(huge);
    expect(bytes).toBeGreaterThan(exactBudgetBytes);
    expect(count(huge)).toBe(Math.ceil(bytes / 3));
    expect(count(`${huge}é`)).toBe(Math.ceil((bytes + 2) / 3));
  });

  it('shares its budget among the texts of one count: once spent, the rest is estimated', () => {
    const counter = new TokenCounter('gpt-4o', 20);
    expect(counter.count('hello world')).toBe(2); // 11 bytes, 9 left
    expect(counter.count('hello world')).toBe(4); // 11 bytes > 9: estimated
    expect(counter.count('hello')).toBe(1); // 5 bytes still fit
  });
});

describe('encodingFor', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['o3-mini', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['ft:gpt-3.5-turbo-0125:acme::abc123', 'cl100k_base'],
    ['my-azure-deployment', 'o200k_base'],
    ['fixture-model@chunks=3', 'o200k_base'],
    ['', 'o200k_base'],
  ])('%j uses %s', (model, encoding) => {
    expect(encodingFor(model)).toBe(encoding);
  });
});

describe('estimateTokens', () => {
  it.each([
    [0, 0],
    [1, 1],
    [3, 1],
    [4, 2],
    [300_000, 100_000],
  ])('%i bytes -> %i tokens', (bytes, tokens) => {
    expect(estimateTokens(bytes)).toBe(tokens);
  });
});
