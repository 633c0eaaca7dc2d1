// Relays a provider's streamed body to the caller chunk by chunk, with backpressure in both directions;
// a provider failure midway (or a chunk its owner refuses) becomes one final SSE error event, a caller disconnect
// aborts the provider. It is a Readable for whoever reads one (h3, in-process fetch); on the proxy lane it writes
// straight into the node:http response instead (`sendTo`), so that a chunk passes no Readable's buffer on its way.
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { errorEvent, type GatewayError } from '../errors.ts';
import type { StreamTransform } from '../providers/types.ts';
import type { RelaySource, StreamSink } from './call.ts';
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

export class StreamRelay<T> extends Readable implements StreamSink {
  readonly #source: RelaySource;
  readonly #transform: StreamTransform;
  readonly #hooks: RelayHooks<T>;
  readonly #owner: T;
  #finished = false;
  /** The source feeds this relay from the first read (or sendTo) on; what arrives before waits in the source. */
  #started = false;
  /** Set by sendTo: chunks are written here instead of being pushed. */
  #sink: ServerResponse | null = null;

  constructor(source: RelaySource, transform: StreamTransform, hooks: RelayHooks<T>, owner: T) {
    super();
    this.#source = source;
    this.#transform = transform;
    this.#hooks = hooks;
    this.#owner = owner;
  }

  #start(): void {
    this.#started = true;
    this.#source.relayTo(this);
  }

  override _read(): void {
    if (!this.#started) this.#start();
    else if (this.#source.paused) this.#source.resume();
  }

  /**
   * Writes the stream into `res` (its head already written) instead of being read: backpressure from the socket
   * pauses the provider, and the response closing early counts as the caller going away. The source starts feeding
   * the relay here (what arrived before waited in it), so call it instead of reading, never after.
   */
  sendTo(res: ServerResponse): void {
    this.#sink = res;
    res.on('drain', this.#onDrain);
    res.once('close', this.#onSinkClose);
    if (res.destroyed) this.#onSinkClose();
    else this.#start();
  }

  readonly #onDrain = (): void => {
    if (!this.#finished) this.#source.resume();
  };

  readonly #onSinkClose = (): void => {
    if (this.#finished) return;
    this.#finish({ error: null, clientGone: true });
    this.#source.destroy();
  };

  /** One piece for the caller; when the caller's side is full the provider is paused until it drains. */
  #deliver(out: Buffer | string): void {
    const sink = this.#sink;
    const more = sink === null ? this.push(out) : sink.write(out);
    if (!more) this.#source.pause();
  }

  /** No more pieces. */
  #close(): void {
    if (this.#sink === null) this.push(null);
    else this.#sink.end();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#finished) {
      // The caller went away mid-stream: stop paying for tokens nobody reads.
      this.#finish({ error: null, clientGone: true });
      this.#source.destroy();
    }
    callback(err);
  }

  onData(chunk: Buffer): void {
    if (this.#finished) return;
    const out = this.#transform.push(chunk);
    if (!out) return;
    const refusal = this.#hooks.relayChunk(this.#owner, out);
    if (refusal) this.#refuse(refusal);
    else this.#deliver(out);
  }

  onEnd(): void {
    if (this.#finished) return;
    const tail = this.#transform.end();
    const refusal = tail ? this.#hooks.relayChunk(this.#owner, tail) : null;
    if (refusal) {
      this.#refuse(refusal);
      return;
    }
    if (tail) this.#deliver(tail);
    this.#finish({ error: null, clientGone: false });
    this.#close();
  }

  /** The owner refused a chunk: it is not sent, the caller gets the refusal as the last event, the provider is cut. */
  #refuse(refusal: GatewayError): void {
    this.#deliver(errorEvent(refusal));
    this.#finish({ error: refusal, clientGone: false });
    this.#close();
    this.#source.destroy();
  }

  onError(err: Error): void {
    if (this.#finished) return;
    const failure = upstreamFailure(err);
    if (failure instanceof ClientGoneError) {
      this.#finish({ error: null, clientGone: true });
      if (this.#sink === null) this.destroy();
      else this.#sink.destroy();
      return;
    }
    this.#deliver(errorEvent(failure));
    this.#finish({ error: failure, clientGone: false });
    this.#close();
  }

  #finish(outcome: RelayOutcome): void {
    this.#finished = true;
    this.#sink?.off('drain', this.#onDrain);
    try {
      this.#hooks.relayDone(this.#owner, outcome);
    } catch {
      // Metering must never break the stream; the callback logs its own failures.
    }
  }
}
