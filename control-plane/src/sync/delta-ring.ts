// The recent deltas of this replica, so that a reconnecting data plane gets what it missed rather than everything:
// bounded to the last 1,000 versions or 64 MiB of deltas, whichever is smaller.
import type { AnyResource, ResourceKind } from '@gw/schema';
import type { Delta } from './snapshot-state.ts';

export const ringVersions = 1_000;
export const ringBytes = 64 * 1024 * 1024;

interface Entry {
  fromVersion: number;
  fromHash: string;
  version: number;
  delta: Delta;
  bytes: number;
}

export class DeltaRing {
  #entries: Entry[] = [];
  #bytes = 0;
  readonly #maxVersions: number;
  readonly #maxBytes: number;

  constructor(maxVersions = ringVersions, maxBytes = ringBytes) {
    this.#maxVersions = maxVersions;
    this.#maxBytes = maxBytes;
  }

  /** Records the delta from `fromVersion` (hashing `fromHash`) to `version`; `bytes` is its serialized size. */
  push(fromVersion: number, fromHash: string, version: number, delta: Delta, bytes: number): void {
    const last = this.#entries.at(-1);
    // Not a continuation (a full rebuild, a restored database): what came before cannot be resumed from.
    if (last && last.version !== fromVersion) this.clear();
    this.#entries.push({ fromVersion, fromHash, version, delta, bytes });
    this.#bytes += bytes;
    while (
      this.#entries.length &&
      (this.#bytes > this.#maxBytes || this.#entries[0].fromVersion < version - this.#maxVersions)
    ) {
      this.#bytes -= (this.#entries.shift() as Entry).bytes;
    }
  }

  clear(): void {
    this.#entries = [];
    this.#bytes = 0;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.#entries.length, bytes: this.#bytes };
  }

  /**
   * The merged delta from `version` (when its recorded hash is `hash`) to the newest one; undefined when the ring
   * does not cover it. The caller handles a data plane that is already current.
   */
  since(version: number, hash: string): Delta | undefined {
    const start = this.#entries.findIndex((e) => e.fromVersion === version);
    if (start < 0 || this.#entries[start].fromHash !== hash) return undefined;
    const merged = new Map<string, [ResourceKind, string, AnyResource | null]>();
    for (const e of this.#entries.slice(start)) {
      for (const [kind, records] of Object.entries(e.delta.upsert) as [ResourceKind, Record<string, AnyResource>][]) {
        for (const [id, r] of Object.entries(records)) merged.set(`${kind} ${id}`, [kind, id, r]);
      }
      for (const [kind, ids] of Object.entries(e.delta.remove) as [ResourceKind, string[]][]) {
        for (const id of ids) merged.set(`${kind} ${id}`, [kind, id, null]);
      }
    }
    const upsert: Record<string, Record<string, AnyResource>> = {};
    const remove: Record<string, string[]> = {};
    for (const [kind, id, r] of merged.values()) {
      if (r) (upsert[kind] ??= {})[id] = r;
      else (remove[kind] ??= []).push(id);
    }
    return { upsert, remove } as Delta;
  }
}
