// A proxied endpoint's body must be JSON: checked on the content type before a byte of it is read.
import type { H3Event } from 'h3';
import { GatewayError } from '../errors.ts';

/** Throws 415 for a body declared as something else (no content type is taken as JSON). */
export function requireJsonContentType(event: H3Event): void {
  const contentType = event.req.headers.get('content-type');
  if (contentType && !contentType.toLowerCase().includes('json')) {
    throw new GatewayError('caller_unsupported_media_type', 'Send the request body as application/json.');
  }
}
