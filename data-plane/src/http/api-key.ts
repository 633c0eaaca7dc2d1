// Finds the caller's virtual key: `Authorization: Bearer <key>` first, then `x-api-key`.
import type { HeaderReader } from './caller.ts';

export function presentedApiKey(headers: HeaderReader): string | null {
  const auth = headers.get('authorization');
  if (auth) {
    // Scheme is case-insensitive (RFC 9110); anything but Bearer is not a key we understand.
    if (auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') {
      const key = auth.slice(7).trim();
      if (key) return key;
    }
  }
  const xKey = headers.get('x-api-key')?.trim();
  return xKey ? xKey : null;
}
