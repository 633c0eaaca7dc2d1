// Streams that end early are charged for what they used: a caller that aborts, a provider that fails midway (an error
// event, or the connection cut) and a data plane shutting down each leave a usage record with the prompt's tokens and
// those of the text the gateway relayed, counted with o200k_base (the fixture's model names are unknown to the
// tokenizer), instead of 0. A stream that completes keeps the provider's own figures.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as countChatTokens } from 'gpt-tokenizer/model/gpt-4o';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAnswer } from '../fixture/answer.ts';
import { waitFor } from '../harness/wait.ts';
import { type Stack, startStack } from './stack.ts';
import { defaultCost, type UsageRow, waitForUsage } from './usage.ts';

const messages = [{ role: 'user' as const, content: 'count the words I send' }];
/** Every content piece the fixture streams for `messages` (40 chunks); a cut stream relays a prefix of them. */
const pieces = buildAnswer(messages, 40, null).pieces;
/** The prompt as OpenAI's chat format counts it (gpt-4o also uses o200k_base). */
const promptTokens = countChatTokens(messages);
/** Tokens of the first `n` pieces. */
const relayedTokens = (n: number) => countTokens(pieces.slice(0, n).join(''));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    name: 'stream-cut',
    dataPlanes: 1,
    models: [
      { name: 'slow', upstreamModel: 'fixture-model@chunks=40,chunkDelay=150' },
      { name: 'fails-midway', upstreamModel: 'fixture-model@chunks=40,chunkDelay=20,errorMidStream=6' },
      { name: 'cut-midway', upstreamModel: 'fixture-model@chunks=40,chunkDelay=20,dropMidStream=6' },
      { name: 'whole', upstreamModel: 'fixture-model@chunks=12' },
    ],
  });
});
afterAll(() => stack?.teardown.run());

/** Reads a stream's content pieces until it ends, fails, or `stopAfter` pieces were read; the error, if any. */
async function read(
  stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>,
  got: string[],
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<unknown> {
  try {
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) got.push(piece);
      if (got.length >= stopAfter) return undefined;
    }
    return undefined;
  } catch (err) {
    return err;
  }
}

/** The record is charged for the prompt and for `output` tokens, at the seeded prices. */
function expectCharged(row: UsageRow, output: number): void {
  expect(promptTokens).toBeGreaterThan(0);
  expect(row.input_tokens).toBe(promptTokens);
  expect(row.output_tokens).toBe(output);
  expect(row.output_tokens).toBeGreaterThan(0);
  expect(row.cost_usd).toBeGreaterThan(0);
  expect(row.cost_usd).toBeCloseTo(defaultCost(promptTokens, output), 12);
}

describe('a stream that ends early is charged for what it used', () => {
  it('the caller aborts midway: 499, the prompt and the text relayed until then', async () => {
    const { data: stream, request_id } = await stack
      .client(stack.dps[0])
      .chat.completions.create({ model: 'slow', messages, stream: true })
      .withResponse();
    const got: string[] = [];
    await read(stream, got, 5);
    stream.controller.abort();
    expect(got).toEqual(pieces.slice(0, 5));
    const [row] = await waitForUsage(stack.db, [request_id!]);
    expect(row).toMatchObject({ status: 499, error_code: null, stream: true });
    // The gateway may have relayed a piece or two more before it saw the caller leave.
    const relayed = [5, 6, 7].find((n) => relayedTokens(n) === row.output_tokens);
    expect(relayed, `output_tokens ${row.output_tokens}`).toBeDefined();
    expectCharged(row, relayedTokens(relayed!));
  });

  it('the provider sends an error event midway: the prompt and the text relayed before it', async () => {
    const { data: stream, request_id } = await stack
      .client(stack.dps[0])
      .chat.completions.create({ model: 'fails-midway', messages, stream: true })
      .withResponse();
    const got: string[] = [];
    const err = await read(stream, got);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    // role, then 5 contents, then the error event
    expect(got).toEqual(pieces.slice(0, 5));
    const [row] = await waitForUsage(stack.db, [request_id!]);
    expect(row.stream).toBe(true);
    expectCharged(row, relayedTokens(5));
  });

  it('the provider connection is cut midway: 502 provider_error, the prompt and the text relayed before it', async () => {
    const { data: stream, request_id } = await stack
      .client(stack.dps[0])
      .chat.completions.create({ model: 'cut-midway', messages, stream: true })
      .withResponse();
    const got: string[] = [];
    const err = await read(stream, got);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(got).toEqual(pieces.slice(0, 5));
    const [row] = await waitForUsage(stack.db, [request_id!]);
    expect(row).toMatchObject({ status: 502, error_code: 'provider_error', stream: true });
    expectCharged(row, relayedTokens(5));
  });

  it('the data plane shuts down and cuts a stream that outlives its grace: the prompt and the text relayed', async () => {
    const dp = await stack.addDataPlane('short-grace', { env: { SHUTDOWN_GRACE_MS: '1000' } });
    const { data: stream, request_id } = await stack
      .client(dp)
      .chat.completions.create({ model: 'slow', messages, stream: true })
      .withResponse();
    const iterator = stream[Symbol.asyncIterator]();
    const got: string[] = [];
    while (got.length < 3) {
      const piece = (await iterator.next()).value?.choices[0]?.delta.content;
      if (piece) got.push(piece);
    }
    dp.process.signal('SIGTERM');
    await waitFor('the data plane to handle SIGTERM', () =>
      dp.process.output().some((line) => line.includes('"msg":"shutting down"')),
    );
    await read({ [Symbol.asyncIterator]: () => iterator }, got);
    expect(await dp.process.waitForExit(15_000)).toBe(0);
    expect(got.length).toBeGreaterThan(3);
    expect(got.length).toBeLessThan(40);
    expect(got).toEqual(pieces.slice(0, got.length));
    const [row] = await waitForUsage(stack.db, [request_id!]);
    expect(row).toMatchObject({ node_id: dp.nodeId, status: 499, stream: true });
    // A piece written just before the cut may not have reached the caller.
    const relayed = [0, 1, 2].map((more) => got.length + more).find((n) => relayedTokens(n) === row.output_tokens);
    expect(relayed, `output_tokens ${row.output_tokens} after ${got.length} pieces`).toBeDefined();
    expectCharged(row, relayedTokens(relayed!));
  });

  it('a stream that completes keeps the provider usage (the fixture counts words, not BPE tokens)', async () => {
    const { data: stream, request_id } = await stack
      .client(stack.dps[0])
      .chat.completions.create({ model: 'whole', messages, stream: true })
      .withResponse();
    const got: string[] = [];
    expect(await read(stream, got)).toBeUndefined();
    expect(got).toHaveLength(12);
    const [row] = await waitForUsage(stack.db, [request_id!]);
    const words = buildAnswer(messages, 12, null);
    expect(row).toMatchObject({
      status: 200,
      input_tokens: words.promptTokens,
      output_tokens: words.completionTokens,
    });
    expect(row.input_tokens).not.toBe(promptTokens);
  });
});
