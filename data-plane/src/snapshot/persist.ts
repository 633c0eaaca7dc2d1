// What the node applied, on disk: a base snapshot (snapshot.json) plus a journal of the deltas applied since
// (snapshot-journal.jsonl, appended and fdatasync'ed), so that a change costs a line, not a rewrite. The journal is
// compacted into a new base in the background (written in batches that yield to the event loop; its format is in
// base-file.ts). Credentials' apiKeys are encrypted on disk (secrets.ts).
import { type FileHandle, mkdir, open, readFile, rename, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeltaMessage, Snapshot } from '@gw/schema';
import type { Logger } from '../logger.ts';
import { privateDirMode, privateFileMode } from '../state-dir.ts';
import { type BaseSource, readBase, writeBase } from './base-file.ts';
import { journalHeader, journalName, replayJournal } from './journal.ts';
import { deriveSnapshotKey, sealCredentials } from './secrets.ts';
import type { SnapshotStore, StoreHolder } from './store.ts';
import { holdYoungGeneration } from './young-generation.ts';

export { decryptSecret, deriveSnapshotKey, encryptSecret, sealSnapshot, unsealSnapshot } from './secrets.ts';

const fileName = 'snapshot.json';
/** Compact when the journal holds more than this... */
export const compactAfter = { bytes: 4 * 1024 * 1024, lines: 1000 };

export interface PersistedSnapshot {
  version: number;
  hash: string;
  snapshot: Snapshot;
}

type Op = { base: BaseSource } | { delta: DeltaMessage; store: SnapshotStore };

const fromSnapshot = (s: PersistedSnapshot): BaseSource => ({
  version: s.version,
  hash: s.hash,
  entries: (kind) => Object.entries(s.snapshot[kind] ?? {}),
});
const fromStore = (store: SnapshotStore): BaseSource => ({
  version: store.version,
  hash: store.hash,
  entries: (kind) => store.parts.byId[kind] as Iterable<[string, unknown]>,
});

/** Writes are serialised; a new base supersedes whatever was queued before it. */
export class SnapshotFile {
  readonly #dir: string;
  readonly #key: Buffer;
  #ops: Op[] = [];
  #writing: Promise<void> | null = null;
  /** The version the journal on disk ends at (null: no journal for the base, write a base first). */
  #journalVersion: number | null = null;
  #journalBytes = 0;
  #journalLines = 0;
  /** Bytes to keep of the journal before the next append (a torn tail found at load is cut). */
  #cutJournalAt: number | null = null;
  #journal: FileHandle | null = null;

  constructor(dir: string, dataPlaneToken: string) {
    this.#dir = dir;
    this.#key = deriveSnapshotKey(dataPlaneToken);
  }

  get path(): string {
    return join(this.#dir, fileName);
  }

  get journalPath(): string {
    return join(this.#dir, journalName);
  }

  /** Writes `snapshot` as a new base. Resolves when it (or a newer state) is on disk. */
  save(snapshot: PersistedSnapshot): Promise<void> {
    return this.#enqueue({ base: fromSnapshot(snapshot) });
  }

  /** Persists an applied store: a delta as one journal line, a full snapshot (delta null) as a new base. */
  record(store: SnapshotStore, delta: DeltaMessage | null): Promise<void> {
    // A resume that found this node current changes nothing.
    if (delta && delta.fromVersion === delta.version) return this.#writing ?? Promise.resolve();
    return this.#enqueue(delta ? { delta, store } : { base: fromStore(store) });
  }

  /** Resolves once nothing is being written (errors were reported to whoever asked for the write). */
  async idle(): Promise<void> {
    while (this.#writing) await this.#writing.catch(() => {});
  }

  #enqueue(op: Op): Promise<void> {
    if ('base' in op) this.#ops = [op];
    else this.#ops.push(op);
    if (!this.#writing) {
      this.#writing = this.#drain().finally(() => {
        this.#writing = null;
      });
    }
    return this.#writing;
  }

  async #drain(): Promise<void> {
    try {
      for (let op = this.#ops.shift(); op; op = this.#ops.shift()) {
        if ('base' in op) await this.#writeBase(op.base);
        else if (op.delta.fromVersion !== this.#journalVersion) await this.#writeBase(fromStore(op.store));
        else {
          await this.#append(op.delta);
          const big = this.#journalBytes > compactAfter.bytes || this.#journalLines > compactAfter.lines;
          if (big && !this.#ops.some((o) => 'base' in o)) this.#ops.push({ base: fromStore(op.store) });
        }
      }
    } catch (err) {
      // Whatever failed, the next write starts with a fresh base.
      this.#journalVersion = null;
      this.#ops = [];
      await this.#closeJournal();
      throw err;
    }
  }

  async #append(delta: DeltaMessage): Promise<void> {
    const { type: _t, ...rest } = delta;
    const upsert = { ...rest.upsert, credentials: sealCredentials(this.#key, rest.upsert.credentials) };
    const line = `${JSON.stringify({ ...rest, upsert })}\n`;
    if (!this.#journal) {
      if (this.#cutJournalAt !== null) await truncate(this.journalPath, this.#cutJournalAt);
      this.#cutJournalAt = null;
      this.#journal = await open(this.journalPath, 'a', privateFileMode);
    }
    await this.#journal.write(line);
    await this.#journal.datasync();
    this.#journalVersion = delta.version;
    this.#journalBytes += Buffer.byteLength(line);
    this.#journalLines++;
  }

  async #closeJournal(): Promise<void> {
    const j = this.#journal;
    this.#journal = null;
    await j?.close().catch(() => {});
  }

  /** Writes a base in batches (yielding between them), renames it into place, then starts an empty journal. */
  async #writeBase(source: BaseSource): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: privateDirMode });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w', privateFileMode);
    try {
      await writeBase(fh, source, this.#key);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path);
    // The base stands on its own: a crash before the new journal is in place leaves a journal of another base,
    // which boot ignores.
    await this.#closeJournal();
    const jtmp = `${this.journalPath}.${process.pid}.tmp`;
    const jh = await open(jtmp, 'w', privateFileMode);
    const header = journalHeader(source.version, source.hash);
    try {
      await jh.write(header);
      await jh.datasync();
    } finally {
      await jh.close();
    }
    await rename(jtmp, this.journalPath);
    this.#cutJournalAt = null;
    this.#journalVersion = source.version;
    this.#journalBytes = Buffer.byteLength(header);
    this.#journalLines = 0;
  }

  /** The persisted state (base + journal) as a store (source 'disk'), or null when there is none; throws when the
   * base cannot be trusted (a bad journal line only ends the replay there). */
  async loadStore(): Promise<SnapshotStore | null> {
    const base = await readBase(this.path, this.#key);
    if (!base) return null;
    let journal = '';
    try {
      journal = await readFile(this.journalPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const { store, replayed } = replayJournal(journal, base.store, this.#key);
    // A format 1 base predates the journal: a base is written before the first delta is appended.
    if (base.format !== 1 && replayed.matches) {
      this.#journalVersion = replayed.version;
      this.#journalBytes = replayed.goodBytes;
      this.#journalLines = replayed.lines;
      this.#cutJournalAt = replayed.goodBytes;
    }
    return store;
  }

  /** The persisted snapshot as the contract shapes it (tools and tests; boot uses `loadStore`). */
  async load(): Promise<PersistedSnapshot | null> {
    const store = await this.loadStore();
    return store && { version: store.version, hash: store.hash, snapshot: store.snapshot };
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
  // Reading and indexing the whole file keeps many objects alive at once: see young-generation.ts.
  const release = holdYoungGeneration(file);
  try {
    const store = await file.loadStore();
    if (!store) return false;
    stores.swap(store);
    logger.info({ version: store.version, hash: store.hash }, 'serving the snapshot from disk');
    return true;
  } catch (err) {
    logger.warn({ err: (err as Error).message, path: file.path }, 'ignoring an unusable snapshot file');
    return false;
  } finally {
    release();
  }
}
