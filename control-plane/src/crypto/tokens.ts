// Random secrets and their SHA-256 digests: virtual keys and admin session tokens are stored only as hashes.
import { createHash, randomInt } from 'node:crypto';

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Uniformly random base62 string (randomInt avoids the modulo bias of byte % 62). */
export function randomBase62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += base62[randomInt(62)];
  return out;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export const virtualKeyPrefixLength = 12;

/** A new virtual key: `sk-gw-` + 40 base62 chars (~238 bits), its hash and its display prefix. */
export function newVirtualKeySecret(): { secret: string; hash: string; prefix: string } {
  const secret = `sk-gw-${randomBase62(40)}`;
  return { secret, hash: sha256Hex(secret), prefix: secret.slice(0, virtualKeyPrefixLength) };
}

/** A new admin session token: `gws_` + 43 base62 chars; only its hash is stored. */
export function newSessionToken(): { token: string; hash: string } {
  const token = `gws_${randomBase62(43)}`;
  return { token, hash: sha256Hex(token) };
}

/** A new integrator API token: `gwt_` + 43 base62 chars; only its hash and a display prefix are stored. */
export function newApiToken(): { token: string; hash: string; prefix: string } {
  const token = `gwt_${randomBase62(43)}`;
  return { token, hash: sha256Hex(token), prefix: token.slice(0, 12) };
}
