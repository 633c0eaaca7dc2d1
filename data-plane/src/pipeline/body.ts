// Reads a proxied endpoint's JSON body: content type, byte limit, UTF-8, depth and finite numbers.
import type { H3Event } from 'h3';
import { GatewayError } from '../errors.ts';
import { parseJsonBody } from '../http/json-body.ts';
import { readBody } from '../http/read-body.ts';

/** Throws the GatewayError a bad body deserves (415, 413, 400). */
export async function readJsonRequest(event: H3Event, maxBodyBytes: number): Promise<unknown> {
  const contentType = event.req.headers.get('content-type');
  if (contentType && !contentType.toLowerCase().includes('json')) {
    throw new GatewayError('caller_unsupported_media_type', 'Send the request body as application/json.');
  }
  return parseJsonBody(await readBody(event, maxBodyBytes));
}
