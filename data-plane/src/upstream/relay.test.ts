// StreamRelay and its hooks: every piece passes through relayChunk before the caller sees it, a refused piece ends
// the stream with the refusal as the last event and cuts the provider, and relayDone runs exactly once.
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.ts';
import type { StreamTransform } from '../providers/types.ts';
import type { RelaySource, StreamSink } from './call.ts';
import { type RelayHooks, type RelayOutcome, StreamRelay } from './relay.ts';

/** Forwards each chunk as it is. */
const identity = (): StreamTransform => ({
  push: (chunk) => chunk,
  end: () => null,
  usage: null,
  events: 0,
  countedUsage: () => ({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }),
});

interface Owner {
  seen: string[];
  done: RelayOutcome[];
}

/** Refuses any piece that mentions "forbidden". */
const hooks: RelayHooks<Owner> = {
  relayChunk(owner, out) {
    owner.seen.push(out.toString());
    return out.includes('forbidden') ? new GatewayError('policy_model_not_allowed', 'Refused by a guardrail.') : null;
  },
  relayDone(owner, outcome) {
    owner.done.push(outcome);
  },
};

/** A provider answer of `chunks`, fed once the relay asks, stopping when the relay cuts it off. */
class ChunkSource implements RelaySource {
  destroyed = false;
  paused = false;
  readonly #chunks: string[];

  constructor(chunks: string[]) {
    this.#chunks = chunks;
  }

  relayTo(sink: StreamSink): void {
    for (const c of this.#chunks) {
      if (this.destroyed) return;
      sink.onData(Buffer.from(c));
    }
    if (!this.destroyed) sink.onEnd();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

async function relayed(chunks: string[]) {
  const source = new ChunkSource(chunks);
  const owner: Owner = { seen: [], done: [] };
  const relay = new StreamRelay(source, identity(), hooks, owner);
  let text = '';
  for await (const piece of relay) text += String(piece);
  return { text, owner, source };
}

describe('StreamRelay hooks', () => {
  it('shows every piece to relayChunk and ends once with no error', async () => {
    const { text, owner } = await relayed(['data: 1\n\n', 'data: 2\n\n']);
    expect(text).toBe('data: 1\n\ndata: 2\n\n');
    expect(owner.seen.join('')).toBe(text);
    expect(owner.done).toEqual([{ error: null, clientGone: false }]);
  });

  it('ends the stream with the refusal instead of the refused piece, and stops reading the provider', async () => {
    const { text, owner, source } = await relayed(['data: 1\n\n', 'data: forbidden\n\n', 'data: 3\n\n']);
    expect(text).not.toContain('forbidden');
    expect(text).not.toContain('data: 3');
    const events = text.split('\n\n').filter(Boolean);
    expect(events[0]).toBe('data: 1');
    expect(JSON.parse(events[1].slice('data: '.length))).toMatchObject({
      error: { code: 'policy_model_not_allowed', message: 'Refused by a guardrail.' },
    });
    expect(owner.done).toHaveLength(1);
    expect(owner.done[0].error?.code).toBe('policy_model_not_allowed');
    expect(source.destroyed).toBe(true);
  });
});
