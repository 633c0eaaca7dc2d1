// The last applied snapshot on disk (snapshot.json): credentials' apiKeys encrypted with AES-256-GCM under
// a key derived (HKDF-SHA256) from the data-plane token; written to a temp file and renamed.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Snapshot, snapshotHash, snapshotProblems, snapshotSchema } from '@gw/schema';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { privateDirMode, privateFileMode } from '../state-dir.ts';
import { SnapshotStore, type StoreHolder } from './store.ts';

const fileName = 'snapshot.json';
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

const persistedFile = z.object({
  format: z.literal(1),
  version: z.number().int().nonnegative(),
  hash: z.string(),
  savedAt: z.string(),
  snapshot: z.unknown(),
});

export interface PersistedSnapshot {
  version: number;
  hash: string;
  snapshot: Snapshot;
}

export function sealSnapshot(key: Buffer, snapshot: Snapshot): Snapshot {
  const credentials: Snapshot['credentials'] = {};
  for (const [id, c] of Object.entries(snapshot.credentials)) {
    credentials[id] = { ...c, apiKey: encryptSecret(key, c.apiKey, id) };
  }
  return { ...snapshot, credentials };
}

export function unsealSnapshot(key: Buffer, sealed: Snapshot): Snapshot {
  const credentials: Snapshot['credentials'] = {};
  for (const [id, c] of Object.entries(sealed.credentials)) {
    credentials[id] = { ...c, apiKey: decryptSecret(key, c.apiKey, id) };
  }
  return { ...sealed, credentials };
}

/** Writes are serialised and coalesced: only the newest pending snapshot is written. */
export class SnapshotFile {
  readonly #dir: string;
  readonly #key: Buffer;
  #writing: Promise<void> | null = null;
  #next: PersistedSnapshot | null = null;

  constructor(dir: string, dataPlaneToken: string) {
    this.#dir = dir;
    this.#key = deriveSnapshotKey(dataPlaneToken);
  }

  get path(): string {
    return join(this.#dir, fileName);
  }

  /** Resolves when this snapshot (or a newer one) is on disk. */
  save(snapshot: PersistedSnapshot): Promise<void> {
    this.#next = snapshot;
    if (!this.#writing) {
      this.#writing = this.#drain().finally(() => {
        this.#writing = null;
      });
    }
    return this.#writing;
  }

  async #drain(): Promise<void> {
    while (this.#next) {
      const s = this.#next;
      this.#next = null;
      const body = JSON.stringify({
        format: 1,
        version: s.version,
        hash: s.hash,
        savedAt: new Date().toISOString(),
        snapshot: sealSnapshot(this.#key, s.snapshot),
      });
      await mkdir(this.#dir, { recursive: true, mode: privateDirMode });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, body, { mode: privateFileMode });
      await rename(tmp, this.path);
    }
  }

  /** The persisted snapshot, or null when there is none; throws when it exists but cannot be trusted. */
  async load(): Promise<PersistedSnapshot | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const file = persistedFile.parse(JSON.parse(text));
    const sealed = snapshotSchema.parse(file.snapshot);
    // A token rotation makes decryption fail: the file is then useless, and we say so.
    const snapshot = unsealSnapshot(this.#key, sealed);
    const hash = snapshotHash(snapshot);
    if (hash !== file.hash) throw new Error(`snapshot file hash mismatch (${hash} != ${file.hash})`);
    const problems = snapshotProblems(snapshot);
    if (problems.length) throw new Error(`snapshot file is inconsistent: ${problems[0]}`);
    return { version: file.version, hash, snapshot };
  }
}

/**
 * Boot path: serve the persisted snapshot at once (source 'disk') so that the node works while the
 * control plane is unreachable. An unusable file is logged and ignored, never fatal.
 */
export async function bootFromDisk(
  file: SnapshotFile,
  stores: StoreHolder,
  logger: Pick<Logger, 'info' | 'warn'>,
): Promise<boolean> {
  try {
    const persisted = await file.load();
    if (!persisted) return false;
    stores.swap(new SnapshotStore(persisted.snapshot, { ...persisted, source: 'disk' }));
    logger.info({ version: persisted.version, hash: persisted.hash }, 'serving the snapshot from disk');
    return true;
  } catch (err) {
    logger.warn({ err: (err as Error).message, path: file.path }, 'ignoring an unusable snapshot file');
    return false;
  }
}
