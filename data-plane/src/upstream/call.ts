// One request to a provider, as an undici dispatch handler: the answer's head, then its body gathered whole or fed
// chunk by chunk to a relay. Compared with `pool.request` there is no Readable, no promise per body read, no abort
// listener per request (docs/performance.md): the proxy's one object per provider call.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { ClientGoneError, upstreamFailure } from './errors.ts';

/** What a streamed answer is fed to (the relay). */
export interface StreamSink {
  onData(chunk: Buffer): void;
  onEnd(): void;
  onError(err: Error): void;
}

/** The provider side of a relay: flow control, and cutting the provider off. */
export interface RelaySource {
  /** Starts feeding `sink`, first with whatever arrived before (the head and first bytes often come together). */
  relayTo(sink: StreamSink): void;
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Stops the provider's answer; nothing more reaches the sink. */
  destroy(): void;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: Error): void;
}

export class UpstreamCall implements Dispatcher.DispatchHandler, RelaySource {
  statusCode = 0;
  headers: IncomingHttpHeaders = {};
  #controller: Dispatcher.DispatchController | null = null;
  /** An abort asked for before undici handed over its controller. */
  #abortReason: Error | null = null;
  #head: Waiter<UpstreamCall> | null = null;
  #body: Waiter<Buffer> | null = null;
  #sink: StreamSink | null = null;
  #chunks: Buffer[] = [];
  #kept = 0;
  #limit = Number.POSITIVE_INFINITY;
  #ended = false;
  #error: Error | null = null;
  #paused = false;

  /** Resolves once the answer's head arrived (any status); rejects with a GatewayError or ClientGoneError. */
  sent(): Promise<UpstreamCall> {
    if (this.statusCode !== 0) return Promise.resolve(this);
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#head = { resolve, reject };
    });
  }

  /** The whole body, or its first `limit` bytes (the rest is read and dropped). */
  body(limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
    this.#limit = limit;
    if (this.#kept > limit) {
      this.#chunks = [Buffer.concat(this.#chunks).subarray(0, limit)];
      this.#kept = limit;
    }
    if (this.#ended) return Promise.resolve(this.#gathered());
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#body = { resolve, reject };
    });
  }

  /** The caller left: the provider is cut off and the waiting side gets a ClientGoneError. */
  abort(): void {
    this.#cut(new ClientGoneError());
  }

  relayTo(sink: StreamSink): void {
    this.#sink = sink;
    const early = this.#chunks;
    this.#chunks = [];
    for (const chunk of early) sink.onData(chunk);
    if (this.#ended) sink.onEnd();
    else if (this.#error) sink.onError(this.#error);
  }

  get paused(): boolean {
    return this.#paused;
  }

  pause(): void {
    this.#paused = true;
    this.#controller?.pause();
  }

  resume(): void {
    this.#paused = false;
    this.#controller?.resume();
  }

  destroy(): void {
    this.#sink = null;
    this.#cut(new ClientGoneError());
  }

  #cut(reason: Error): void {
    if (this.#ended || this.#error) return;
    if (this.#controller) this.#controller.abort(reason);
    else this.#abortReason = reason;
  }

  #gathered(): Buffer {
    const chunks = this.#chunks;
    this.#chunks = [];
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.#kept);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#abortReason) controller.abort(this.#abortReason);
    else if (this.#paused) controller.pause();
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.statusCode = statusCode;
    this.headers = headers;
    const head = this.#head;
    this.#head = null;
    head?.resolve(this);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#sink !== null) {
      this.#sink.onData(chunk);
      return;
    }
    // Gathered until a relay takes over, or whole for a body read; past the limit the rest is dropped.
    if (this.#kept >= this.#limit) return;
    const part = this.#kept + chunk.length > this.#limit ? chunk.subarray(0, this.#limit - this.#kept) : chunk;
    this.#chunks.push(part);
    this.#kept += part.length;
  }

  onResponseEnd(): void {
    this.#ended = true;
    if (this.#sink !== null) this.#sink.onEnd();
    const body = this.#body;
    this.#body = null;
    body?.resolve(this.#gathered());
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    const failure = upstreamFailure(err);
    this.#error = failure;
    const head = this.#head;
    const body = this.#body;
    this.#head = null;
    this.#body = null;
    head?.reject(failure);
    body?.reject(failure);
    this.#sink?.onError(err);
  }
}
