// Calls the data plane with a key's secret through the official OpenAI client, and waits (bounded polling) for the
// answer a change in the UI should lead to once the new snapshot reached the data plane.
import OpenAI from 'openai';
import { waitFor } from '../../harness/index.ts';
import type { WebStack } from '../fixtures/stack.ts';

/** 200 when the chat completion succeeds, else the HTTP status the data plane refused it with. */
export async function chatStatus(stack: WebStack, secret: string, model = 'gpt-fixture'): Promise<number> {
  try {
    const answer = await stack.openai(secret).chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'ping' }],
    });
    if (!answer.choices[0]?.message) throw new Error('a completion without a message');
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError && typeof error.status === 'number') return error.status;
    throw error;
  }
}

/** Polls until the data plane answers `status` for this secret (a new snapshot takes a moment to arrive). */
export async function waitForChatStatus(
  stack: WebStack,
  secret: string,
  status: number,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  let last: number | undefined;
  try {
    await waitFor(
      what,
      async () => {
        last = await chatStatus(stack, secret);
        return last === status;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message} (the data plane last answered ${last ?? 'nothing'})`);
  }
}
