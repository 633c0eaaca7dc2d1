// Credentials' apiKeys on disk: AES-256-GCM under a key derived (HKDF-SHA256) from the data-plane token, the
// credential id bound in as associated data.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Snapshot, SnapshotCredential } from '@gw/schema';

const secretPrefix = 'enc:v1:';

export function deriveSnapshotKey(dataPlaneToken: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataPlaneToken, 'gw-data-plane-snapshot', 'credential-api-keys v1', 32));
}

/** `enc:v1:<iv>.<tag>.<ciphertext>` (base64url); the credential id is bound in as associated data. */
export function encryptSecret(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${secretPrefix}${iv.toString('base64url')}.${tag.toString('base64url')}.${ct.toString('base64url')}`;
}

export function decryptSecret(key: Buffer, sealed: string, aad: string): string {
  if (!sealed.startsWith(secretPrefix)) throw new Error('not an encrypted secret');
  const [iv, tag, ct] = sealed.slice(secretPrefix.length).split('.');
  if (!iv || !tag || ct === undefined) throw new Error('malformed encrypted secret');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

type Credentials = Record<string, SnapshotCredential>;

/** A credential as it is written to disk: its apiKey encrypted, bound to its id. */
export function sealCredential(key: Buffer, id: string, c: SnapshotCredential): SnapshotCredential {
  return { ...c, apiKey: encryptSecret(key, c.apiKey, id) };
}

export function sealCredentials(key: Buffer, credentials: Credentials | undefined): Credentials | undefined {
  if (!credentials) return undefined;
  const out: Credentials = {};
  for (const [id, c] of Object.entries(credentials)) out[id] = sealCredential(key, id, c);
  return out;
}

/** A credential as read from disk: its apiKey decrypted (throws when it was sealed under another key or id). */
export function unsealCredential(key: Buffer, id: string, c: SnapshotCredential): SnapshotCredential {
  return { ...c, apiKey: decryptSecret(key, c.apiKey, id) };
}

export function unsealCredentials(key: Buffer, credentials: Credentials | undefined): Credentials | undefined {
  if (!credentials) return undefined;
  const out: Credentials = {};
  for (const [id, c] of Object.entries(credentials)) out[id] = unsealCredential(key, id, c);
  return out;
}

export function sealSnapshot(key: Buffer, snapshot: Snapshot): Snapshot {
  return { ...snapshot, credentials: sealCredentials(key, snapshot.credentials) ?? {} };
}

export function unsealSnapshot(key: Buffer, sealed: Snapshot): Snapshot {
  return { ...sealed, credentials: unsealCredentials(key, sealed.credentials) ?? {} };
}
