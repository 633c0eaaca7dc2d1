// Who is calling: the presented virtual key, hashed with SHA-256 and looked up in the snapshot.
import { hash } from 'node:crypto';
import type { KeyEntry, SnapshotStore } from '../snapshot/store.ts';
import { type Decision, deny } from './decision.ts';

/** One-shot `crypto.hash`: no Hash object per request (a third of createHash's time for a key-sized input). */
export function hashApiKey(secret: string): string {
  return hash('sha256', secret, 'hex');
}

export function authenticate(store: SnapshotStore, presented: string | null): Decision<{ entry: KeyEntry }> {
  if (!presented) {
    return deny(
      'caller_missing_api_key',
      'No API key provided. Send it as "Authorization: Bearer <key>" or in the "x-api-key" header.',
    );
  }
  const keyHash = hashApiKey(presented);
  const entry = store.keysByHash.get(keyHash);
  if (entry) return { ok: true, entry };
  if (store.removedKeyHashes.has(keyHash)) return deny('caller_key_revoked', 'This API key has been revoked.');
  return deny('caller_invalid_api_key', 'Incorrect API key provided.');
}
