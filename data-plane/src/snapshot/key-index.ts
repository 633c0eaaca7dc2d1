// The read side's keysByHash: secret hash -> KeyEntry, resolved when asked for. The store keeps only hash -> key
// (the key resource itself); the entry (key, org, team, user, module, parsed expiry, model Sets) is a small
// object built on each lookup from the store's own maps. Materialising 100,000 entries cost ~10 MB, and every
// change to an org, team or user had to rebuild the entries of its keys; now such a change touches no key.
import type { SnapshotKey, SnapshotModule, SnapshotOrg, SnapshotTeam, SnapshotUser } from '@gw/schema';
import type { Interner } from './entries.ts';
import type { LayeredMap } from './layered-map.ts';
import type { KeyEntry } from './store.ts';

/** What resolving an entry reads (a store's parts). */
export interface KeyIndexParts {
  readonly keyByHash: LayeredMap<string, SnapshotKey>;
  readonly byId: {
    readonly orgs: ReadonlyMap<string, SnapshotOrg>;
    readonly teams: ReadonlyMap<string, SnapshotTeam>;
    readonly users: ReadonlyMap<string, SnapshotUser>;
    readonly modules: ReadonlyMap<string, SnapshotModule>;
  };
  readonly intern: Interner;
}

export class KeyIndex implements ReadonlyMap<string, KeyEntry> {
  readonly #p: KeyIndexParts;

  constructor(parts: KeyIndexParts) {
    this.#p = parts;
  }

  get size(): number {
    return this.#p.keyByHash.size;
  }

  has(hash: string): boolean {
    return this.#p.keyByHash.has(hash);
  }

  get(hash: string): KeyEntry | undefined {
    const key = this.#p.keyByHash.get(hash);
    return key ? this.#entry(hash, key) : undefined;
  }

  #entry(hash: string, key: SnapshotKey): KeyEntry {
    const { byId, intern } = this.#p;
    const org = byId.orgs.get(key.orgId) as SnapshotOrg;
    return {
      key,
      org,
      team: key.teamId ? (byId.teams.get(key.teamId) ?? null) : null,
      user: key.userId ? (byId.users.get(key.userId) ?? null) : null,
      expiresAtMs: key.expiresAt ? Date.parse(key.expiresAt) : null,
      allowedModels: key.allowedModels ? intern.listOf(key.allowedModels) : null,
      orgAllowedModels: intern.orgList(org),
      module: key.moduleId ? (byId.modules.get(key.moduleId) ?? null) : null,
      // The replaced secret of a rotated key acts as the same key until its grace period ends.
      graceEndsAtMs: hash !== key.hash && key.previous ? Date.parse(key.previous.expiresAt) : null,
    };
  }

  *entries(): MapIterator<[string, KeyEntry]> {
    for (const [hash, key] of this.#p.keyByHash) yield [hash, this.#entry(hash, key)];
  }

  keys(): MapIterator<string> {
    return this.#p.keyByHash.keys();
  }

  *values(): MapIterator<KeyEntry> {
    for (const [, entry] of this.entries()) yield entry;
  }

  [Symbol.iterator](): MapIterator<[string, KeyEntry]> {
    return this.entries();
  }

  forEach(callback: (value: KeyEntry, key: string, map: ReadonlyMap<string, KeyEntry>) => void, thisArg?: unknown) {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }
}

/** The secret hashes a key is found by: its current one, and the replaced one during a rotation's grace period. */
export function hashesOf(key: SnapshotKey): string[] {
  return key.previous ? [key.hash, key.previous.hash] : [key.hash];
}
