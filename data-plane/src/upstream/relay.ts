// Relays a provider's streamed body to the caller chunk by chunk, with backpressure in both directions;
// a provider failure midway (or a chunk its owner refuses) becomes one final SSE error event, a caller disconnect
// aborts the provider.
import { Readable } from 'node:stream';
import { errorEvent, type GatewayError } from '../errors.ts';
import type { StreamTransform } from '../providers/types.ts';
import { ClientGoneError, upstreamFailure } from './errors.ts';

export interface RelayOutcome {
  /** Set when the provider failed after the stream started (the caller got a final error event). */
  readonly error: GatewayError | null;
  /** The caller disconnected before the end. */
  readonly clientGone: boolean;
}

/**
 * What the relay tells its owner, as methods of one long-lived object taking the owner (the request) as an argument:
 * a stream costs no closures.
 */
export interface RelayHooks<T> {
  /** Sees each piece of bytes before the caller does; a GatewayError ends the stream with it instead. */
  relayChunk(owner: T, out: Buffer): GatewayError | null;
  /** Called exactly once, when the stream ended, failed or the caller went away. */
  relayDone(owner: T, outcome: RelayOutcome): void;
}

export class StreamRelay<T> extends Readable {
  readonly #source: Readable;
  readonly #transform: StreamTransform;
  readonly #hooks: RelayHooks<T>;
  readonly #owner: T;
  #finished = false;

  constructor(source: Readable, transform: StreamTransform, hooks: RelayHooks<T>, owner: T) {
    super();
    this.#source = source;
    this.#transform = transform;
    this.#hooks = hooks;
    this.#owner = owner;
    source.on('data', this.#onData);
    source.once('end', this.#onEnd);
    // `on`, not `once`: a late error after the end must still find a listener, or it would crash the process.
    source.on('error', this.#onError);
  }

  override _read(): void {
    if (this.#source.isPaused()) this.#source.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#finished) {
      // The caller went away mid-stream: stop paying for tokens nobody reads.
      this.#finish({ error: null, clientGone: true });
      this.#source.destroy();
    }
    callback(err);
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#finished) return;
    const out = this.#transform.push(chunk);
    if (!out) return;
    const refusal = this.#hooks.relayChunk(this.#owner, out);
    if (refusal) this.#refuse(refusal);
    else if (!this.push(out)) this.#source.pause();
  };

  readonly #onEnd = (): void => {
    if (this.#finished) return;
    const tail = this.#transform.end();
    const refusal = tail ? this.#hooks.relayChunk(this.#owner, tail) : null;
    if (refusal) {
      this.#refuse(refusal);
      return;
    }
    if (tail) this.push(tail);
    this.#finish({ error: null, clientGone: false });
    this.push(null);
  };

  /** The owner refused a chunk: it is not sent, the caller gets the refusal as the last event, the provider is cut. */
  #refuse(refusal: GatewayError): void {
    this.push(errorEvent(refusal));
    this.#finish({ error: refusal, clientGone: false });
    this.push(null);
    this.#source.destroy();
  }

  readonly #onError = (err: Error): void => {
    if (this.#finished) return;
    const failure = upstreamFailure(err);
    if (failure instanceof ClientGoneError) {
      this.#finish({ error: null, clientGone: true });
      this.destroy();
      return;
    }
    this.push(errorEvent(failure));
    this.#finish({ error: failure, clientGone: false });
    this.push(null);
  };

  #finish(outcome: RelayOutcome): void {
    this.#finished = true;
    this.#source.off('data', this.#onData);
    try {
      this.#hooks.relayDone(this.#owner, outcome);
    } catch {
      // Metering must never break the stream; the callback logs its own failures.
    }
  }
}
