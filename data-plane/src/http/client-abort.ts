// A cheap "the caller went away" signal for undici: fires when the response closes before it ended.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { H3Event } from 'h3';

/**
 * On node:http an EventEmitter (undici accepts one as `signal`) avoids an AbortController and its
 * EventTarget per request; elsewhere (in-process fetch) the request's own AbortSignal is used.
 */
export function clientAbortSignal(event: H3Event): AbortSignal | EventEmitter {
  const res = event.runtime?.node?.res as ServerResponse | undefined;
  if (!res) return event.req.signal;
  const emitter = new EventEmitter();
  res.once('close', () => {
    if (!res.writableEnded) emitter.emit('abort');
  });
  return emitter;
}
