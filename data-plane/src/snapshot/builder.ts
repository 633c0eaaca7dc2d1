// Builds a store's maps from whole resources (a full snapshot, or a snapshot read from disk), in steps: a
// generator that yields every `chunk` resources, so the sync client can run it between other events.

import { setImmediate } from 'node:timers/promises';
import {
  type AnyResource,
  type ResourceKind,
  type ResourceTypes,
  resourceKinds,
  resourceProblems,
  type Snapshot,
  SnapshotHasher,
  type SnapshotKey,
  type SnapshotLookup,
  uniqueClaims,
} from '@gw/schema';
import {
  type EntryLookup,
  Interner,
  ingestResource,
  limitEntry,
  modelEntry,
  orgModuleEntry,
  referencedKinds,
} from './entries.ts';
import { hashesOf } from './key-index.ts';
import { LayeredMap } from './layered-map.ts';
import { RefIndex } from './refs.ts';
import {
  type LimitEntry,
  type ModelEntry,
  type OrgModuleEntry,
  type ResourceMaps,
  removedKeyMemory,
  type SnapshotStore,
  type StoreParts,
} from './store.ts';

/** Resources handled between two yields (a step: tens of microseconds; runStepsAsync groups steps into slices). */
export const stepSize = 64;

type KindMaps = { [K in ResourceKind]: Map<string, ResourceTypes[K]> };

export class StoreBuilder {
  readonly intern = new Interner();
  readonly maps = Object.fromEntries(resourceKinds.map((k) => [k, new Map()])) as KindMaps;
  /** The running hash of what was added (see `hash()`). */
  hasher = new SnapshotHasher();
  /** Per kind: unique claim -> the first resource making it. */
  readonly #claims = Object.fromEntries(resourceKinds.map((k) => [k, new Map<string, string>()])) as Record<
    ResourceKind,
    Map<string, string>
  >;
  count = 0;
  /** Resources this build found unchanged in `reuse` and took from there (the copy received was dropped). */
  reused = 0;
  readonly #reuse: ResourceMaps | null;
  /** The hasher started from the replaced store's hash: only resources that differ from it are digested. */
  readonly #incremental: boolean;

  /**
   * `reuse`: the maps of the store a full snapshot will replace (a resync). A resource received equal to the one
   * there is taken from there, so the two stores share it and the copy received dies young. With `reuseHash`, that
   * store's (verified) hash, the hash is updated from it instead of summed anew: unchanged resources cost no digest.
   */
  constructor(reuse: ResourceMaps | null = null, reuseHash: string | null = null) {
    this.#reuse = reuse;
    this.#incremental = reuse !== null && reuseHash !== null && /^[0-9a-f]{64}$/.test(reuseHash);
    if (this.#incremental) this.hasher = SnapshotHasher.fromHex(reuseHash as string);
  }

  /**
   * The resource the replaced store holds under this id, when `resource` equals it: it was checked when it was
   * received, so it needs no schema check again.
   */
  known(kind: ResourceKind, id: string, resource: unknown): AnyResource | undefined {
    const known = this.#reuse?.[kind].get(id) as AnyResource | undefined;
    return known !== undefined && sameJson(known, resource) ? known : undefined;
  }

  /** Adds one resource (freezing it); returns a problem when the id was already added. */
  add(kind: ResourceKind, id: string, resource: AnyResource, hash = true): string | null {
    const map = this.maps[kind] as Map<string, AnyResource>;
    if (map.has(id)) return `${kind}.${id} sent twice`;
    const known = this.#reuse?.[kind].get(id) as AnyResource | undefined;
    const same = known !== undefined && (known === resource || sameJson(known, resource));
    if (same) this.reused++;
    const r = same ? known : ingestResource(resource, this.intern, referencedKinds.has(kind));
    map.set(r.id === id ? r.id : id, r);
    if (hash && !(same && this.#incremental)) this.hasher.add(kind, id, r);
    const claims = this.#claims[kind];
    for (const claim of uniqueClaims(kind, r)) if (!claims.has(claim)) claims.set(claim, id);
    this.count++;
    return null;
  }

  addSnapshot(snapshot: Snapshot, hash = false): void {
    for (const kind of resourceKinds) {
      for (const [id, r] of Object.entries(snapshot[kind] ?? {})) this.add(kind, id, r as AnyResource, hash);
    }
  }

  /**
   * The hash of what was added, in steps. Incremental: the replaced store's resources that were not reused (changed
   * or gone) are taken out of the sum. Should that not give the announced hash, it is summed anew (a replaced store
   * whose hash was wrong must not make every resync fail).
   */
  *hash(announced: string): Generator<void, string> {
    let n = 0;
    if (this.#incremental) {
      const reuse = this.#reuse as ResourceMaps;
      for (const kind of resourceKinds) {
        const map = this.maps[kind] as Map<string, AnyResource>;
        for (const [id, old] of reuse[kind] as ReadonlyMap<string, AnyResource>) {
          if (map.get(id) !== old) this.hasher.remove(kind, id, old);
          if (++n % (stepSize * 8) === 0) yield;
        }
      }
      if (this.hasher.hex === announced) return announced;
      this.hasher = new SnapshotHasher();
      for (const kind of resourceKinds) {
        for (const [id, r] of this.maps[kind] as Map<string, AnyResource>) {
          this.hasher.add(kind, id, r);
          if (++n % stepSize === 0) yield;
        }
      }
    }
    return this.hasher.hex;
  }

  /** snapshotProblems over what was added, in steps; the generator's value is the problems found. */
  *check(): Generator<void, string[]> {
    const lookup: SnapshotLookup = {
      get: (kind, id) => this.maps[kind].get(id),
      claimOwner: (kind, claim) => this.#claims[kind].get(claim),
    };
    const problems: string[] = [];
    let n = 0;
    for (const kind of resourceKinds) {
      for (const [id, r] of this.maps[kind] as Map<string, AnyResource>) {
        problems.push(...resourceProblems(kind, id, r, lookup));
        if (++n % stepSize === 0) yield;
      }
    }
    // Not needed after the check: freed before build() allocates the store's own indexes (one 100k-entry map less
    // at the peak of a 100k-key build).
    for (const claims of Object.values(this.#claims)) claims.clear();
    return problems;
  }

  /** Builds the store's maps in steps; `previous` is the store replaced (for the removed key hashes). */
  *build(previous: SnapshotStore | null): Generator<void, { parts: StoreParts; refs: RefIndex }> {
    const m = this.maps;
    const at: EntryLookup = {
      org: (id) => m.orgs.get(id),
      team: (id) => m.teams.get(id),
      user: (id) => m.users.get(id),
      module: (id) => m.modules.get(id),
      credential: (id) => m.credentials.get(id),
    };
    const refs = new RefIndex();
    let n = 0;
    for (const kind of resourceKinds) {
      for (const [id, r] of m[kind] as Map<string, AnyResource>) {
        refs.add(kind, id, r);
        if (++n % stepSize === 0) yield;
      }
    }
    const keys = new Map<string, SnapshotKey>();
    for (const key of m.keys.values()) {
      for (const hash of hashesOf(key)) keys.set(hash, key);
      if (++n % stepSize === 0) yield;
    }
    const models = new Map<string, ModelEntry>();
    for (const model of m.models.values()) models.set(model.name, modelEntry(model, at));
    const modulesByKey = new Map([...m.modules.values()].map((mod) => [mod.key, mod]));
    const enabled = new Map<string, Map<string, OrgModuleEntry>>();
    const pairs = new Map<string, string>();
    for (const e of m.orgModules.values()) {
      let perOrg = enabled.get(e.orgId);
      if (!perOrg) enabled.set(e.orgId, (perOrg = new Map()));
      perOrg.set(e.moduleId, orgModuleEntry(e, at, this.intern));
      pairs.set(`${e.orgId} ${e.moduleId}`, e.id);
    }
    const limits = new Map<string, LimitEntry>();
    const limitOrgs = new Map<string, number>();
    for (const l of m.limits.values()) {
      const entry = limitEntry(l, this.intern);
      limits.set(entry.scopeKey, entry);
      limitOrgs.set(l.orgId, (limitOrgs.get(l.orgId) ?? 0) + 1);
    }
    const removed = new Set<string>();
    if (previous) {
      for (const h of previous.removedKeyHashes) if (!keys.has(h)) removed.add(h);
      for (const h of previous.keysByHash.keys()) {
        if (!keys.has(h)) removed.add(h);
        if (++n % stepSize === 0) yield;
      }
      // Sets iterate in insertion order: drop the oldest first.
      for (const h of removed) {
        if (removed.size <= removedKeyMemory) break;
        removed.delete(h);
      }
    }
    const byId = Object.fromEntries(
      resourceKinds.map((k) => [k, LayeredMap.of(m[k] as Map<string, AnyResource>)]),
    ) as unknown as ResourceMaps;
    const parts: StoreParts = {
      byId,
      keyByHash: LayeredMap.of(keys),
      modelsByName: LayeredMap.of(models),
      modulesByKey: LayeredMap.of(modulesByKey),
      orgModules: LayeredMap.of(enabled as Map<string, ReadonlyMap<string, OrgModuleEntry>>),
      orgModuleByPair: LayeredMap.of(pairs),
      limitsByScope: LayeredMap.of(limits),
      limitOrgs: LayeredMap.of(limitOrgs),
      removedKeyHashes: removed,
      intern: this.intern,
    };
    return { parts, refs };
  }
}

/** Deep equality of two JSON values (plain objects, arrays, strings, numbers, booleans, null). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) {
      return false;
    }
  }
  return true;
}

/** Runs a step generator to its end at once. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** How long runStepsAsync runs steps before it yields to the event loop (requests wait at most about this long). */
export const sliceMs = 4;

/**
 * Runs a step generator in slices of about `sliceMs`, yielding to the event loop (setImmediate) before each slice,
 * so that a message received just after another one does not extend the other's slice.
 */
export async function runStepsAsync<T>(steps: Generator<void, T>, stillWanted: () => boolean = () => true) {
  for (;;) {
    await setImmediate();
    if (!stillWanted()) return null;
    const end = performance.now() + sliceMs;
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      if (performance.now() >= end) break;
    }
  }
}

export function buildSync(builder: StoreBuilder, previous: SnapshotStore | null) {
  return runSteps(builder.build(previous));
}
