// Success responses built as srvx FastResponses with plain-object headers: the cheapest path to node:http.
import type { Readable } from 'node:stream';
import { FastResponse } from 'srvx/node';

export function jsonResponse(value: unknown, status = 200, headers?: Record<string, string>): Response {
  return new FastResponse(JSON.stringify(value), {
    status,
    headers: headers ? { 'content-type': 'application/json', ...headers } : { 'content-type': 'application/json' },
  });
}

/** Sends bytes as they are (e.g. a provider's JSON answer) without re-serialising them. */
export function bytesResponse(body: Uint8Array, headers: Record<string, string>, status = 200): Response {
  return new FastResponse(body as Uint8Array<ArrayBuffer>, { status, headers });
}

/** srvx pipes a Node Readable body straight into the socket (no web-stream conversion). */
export function streamResponse(body: Readable, headers: Record<string, string>, status = 200): Response {
  return new FastResponse(body as unknown as BodyInit, { status, headers });
}

export function textResponse(text: string, contentType: string, status = 200): Response {
  return new FastResponse(text, { status, headers: { 'content-type': contentType } });
}
