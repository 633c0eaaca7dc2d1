// The caller's side of one proxied request, whatever carries it: node:http straight (the proxy lane) or an h3 event
// (every other route, and in-process fetch). The pipeline reads headers, the body and the "caller left" signal here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { H3Event } from 'h3';
import { readNodeBody, readWebBody, refuseDeclaredLength } from './read-body.ts';

/** What the pipeline reads from a request's headers (a web `Headers` is one). Names are lower-case. */
export interface HeaderReader {
  get(name: string): string | null;
}

export interface CallerRequest extends HeaderReader {
  /** The whole body, at most `limit` bytes (a GatewayError 413 past it, 400 when the caller cut it short). */
  body(limit: number): Promise<Buffer>;
  /** Aborts `call` if the caller goes away before the answer to it has ended. */
  onGone(call: Abortable): void;
}

/** What is stopped when the caller leaves (the provider call). */
export interface Abortable {
  abort(): void;
}

/** Aborts `call` when `res` closes before it ended. One listener: no AbortController or EventTarget per request. */
function abortWhenClosed(res: ServerResponse, call: Abortable): void {
  res.once('close', () => {
    if (!res.writableEnded) call.abort();
  });
}

/** node:http's own request: headers are read from its parsed object, no web Request is built. */
export class NodeCaller implements CallerRequest {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.#req = req;
    this.#res = res;
  }

  get(name: string): string | null {
    const value = this.#req.headers[name];
    if (value === undefined) return null;
    // Repeated headers arrive as an array only for set-cookie; Headers.get joins with ", " alike.
    return typeof value === 'string' ? value : value.join(', ');
  }

  body(limit: number): Promise<Buffer> {
    refuseDeclaredLength(this.get('content-length'), limit);
    return readNodeBody(this.#req, limit);
  }

  onGone(call: Abortable): void {
    abortWhenClosed(this.#res, call);
  }
}

/** An h3 event: on node:http its IncomingMessage is read directly, elsewhere its web Request. */
export class EventCaller implements CallerRequest {
  readonly #event: H3Event;

  constructor(event: H3Event) {
    this.#event = event;
  }

  get(name: string): string | null {
    return this.#event.req.headers.get(name);
  }

  body(limit: number): Promise<Buffer> {
    refuseDeclaredLength(this.get('content-length'), limit);
    const nodeReq = this.#event.runtime?.node?.req as IncomingMessage | undefined;
    return nodeReq ? readNodeBody(nodeReq, limit) : readWebBody(this.#event.req, limit);
  }

  onGone(call: Abortable): void {
    const res = this.#event.runtime?.node?.res as ServerResponse | undefined;
    if (res) abortWhenClosed(res, call);
    else this.#event.req.signal.addEventListener('abort', () => call.abort(), { once: true });
  }
}
