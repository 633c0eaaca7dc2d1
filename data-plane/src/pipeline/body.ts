// A proxied endpoint's body must be JSON: checked on the content type before a byte of it is read.
import { GatewayError } from '../errors.ts';

/** Throws 415 for a body declared as something else (no content type is taken as JSON). */
export function requireJsonContentType(contentType: string | null): void {
  if (contentType && !contentType.toLowerCase().includes('json')) {
    throw new GatewayError('caller_unsupported_media_type', 'Send the request body as application/json.');
  }
}
