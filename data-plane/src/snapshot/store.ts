// The indexed view of one applied snapshot. Stores are immutable: a delta builds the next store from this one
// in O(change) (persistent maps share everything untouched), so requests holding a store keep their view.
import type {
  BudgetPeriod,
  ProviderKind,
  ResourceKind,
  ResourceTypes,
  Snapshot,
  SnapshotCredential,
  SnapshotDeployment,
  SnapshotKey,
  SnapshotLimit,
  SnapshotModel,
  SnapshotModule,
  SnapshotOrg,
  SnapshotTeam,
  SnapshotUser,
} from '@gw/schema';
import { optionalKinds, resourceKinds } from '@gw/schema';
import { buildSync, StoreBuilder } from './builder.ts';
import type { Interner } from './entries.ts';
import { KeyIndex } from './key-index.ts';
import type { LayeredMap } from './layered-map.ts';
import type { RefIndex } from './refs.ts';

export type SnapshotSource = 'control-plane' | 'disk';

/** A key with everything the request path needs resolved (by keysByHash.get, from the store's maps). */
export interface KeyEntry {
  readonly key: SnapshotKey;
  readonly org: SnapshotOrg;
  readonly team: SnapshotTeam | null;
  readonly user: SnapshotUser | null;
  /** expiresAt as epoch ms (parsed once per snapshot, not per request). */
  readonly expiresAtMs: number | null;
  readonly allowedModels: ReadonlySet<string> | null;
  /** The models the key's org may use; null = every model. */
  readonly orgAllowedModels: ReadonlySet<string> | null;
  /** The module the key is bound to; null = none. */
  readonly module: SnapshotModule | null;
  /**
   * Set on the entry of a secret a rotation replaced: it is accepted until then (epoch ms). null on the entry of
   * the key's current secret.
   */
  readonly graceEndsAtMs: number | null;
}

/** A module as enabled for one org. */
export interface OrgModuleEntry {
  readonly module: SnapshotModule;
  /** The models the module may use in this org; null = every model the key may use. */
  readonly allowedModels: ReadonlySet<string> | null;
}

export interface DeploymentEntry {
  readonly deployment: SnapshotDeployment;
  readonly credential: SnapshotCredential;
  readonly provider: ProviderKind;
}

/** A model's prices in pico-dollars per token (`picoPerToken`), computed once per snapshot for `costNano`. */
export interface PicoPrices {
  readonly input: number;
  readonly output: number;
  readonly cachedInput: number;
}

export interface ModelEntry {
  readonly model: SnapshotModel;
  readonly deployments: readonly DeploymentEntry[];
  readonly totalWeight: number;
  readonly pico: PicoPrices;
}

/** A scope's budgets and rate limits as the request path reads them (built once per changed limit). */
export interface LimitEntry {
  readonly limit: SnapshotLimit;
  readonly id: string;
  /** limitScopeKey of its scope. */
  readonly scopeKey: string;
  /** Requests and tokens per minute, all data planes together; 0 = none. */
  readonly rpm: number;
  readonly tpm: number;
  /** The periods that have a budget, in the order daily, weekly, monthly, total (empty: rate limits only). */
  readonly periods: readonly BudgetPeriod[];
}

/** The limits of a key's scopes (org, team, user, key), and with each module it was used with (memo per store). */
export interface KeyLimits {
  readonly own: readonly LimitEntry[] | null;
  byModule: Map<string, readonly LimitEntry[] | null> | null;
}

/** How many removed key hashes are remembered to answer "revoked" instead of "invalid". */
export const removedKeyMemory = 10_000;

export type ResourceMaps = { readonly [K in ResourceKind]: LayeredMap<string, ResourceTypes[K]> };

/** Everything a store holds besides its version: the maps a delta derives the next store's from. */
export interface StoreParts {
  readonly byId: ResourceMaps;
  /** Secret hash -> key (the current secret, and the replaced one during a rotation's grace period). */
  readonly keyByHash: LayeredMap<string, SnapshotKey>;
  readonly modelsByName: LayeredMap<string, ModelEntry>;
  readonly modulesByKey: LayeredMap<string, SnapshotModule>;
  readonly orgModules: LayeredMap<string, ReadonlyMap<string, OrgModuleEntry>>;
  /** `${orgId} ${moduleId}` -> the id of the org module enabling it. */
  readonly orgModuleByPair: LayeredMap<string, string>;
  /** limitScopeKey(scope, scopeId, orgId) -> the budgets and rate limits set on that scope. */
  readonly limitsByScope: LayeredMap<string, LimitEntry>;
  /** org id -> how many limit entries the org has (an org without any skips the per-scope lookups). */
  readonly limitOrgs: LayeredMap<string, number>;
  readonly removedKeyHashes: ReadonlySet<string>;
  /** Shared by every store of a chain (append-only). */
  readonly intern: Interner;
}

export interface StoreMeta {
  version: number;
  hash: string;
  source: SnapshotSource;
}

export class SnapshotStore {
  readonly version: number;
  readonly hash: string;
  readonly source: SnapshotSource;
  readonly appliedAt: Date;
  readonly keysByHash: ReadonlyMap<string, KeyEntry>;
  readonly modelsByName: ReadonlyMap<string, ModelEntry>;
  readonly orgs: ReadonlyMap<string, SnapshotOrg>;
  readonly teams: ReadonlyMap<string, SnapshotTeam>;
  readonly users: ReadonlyMap<string, SnapshotUser>;
  readonly credentials: ReadonlyMap<string, SnapshotCredential>;
  /** Catalogue modules by the key callers send in x-gateway-module. */
  readonly modulesByKey: ReadonlyMap<string, SnapshotModule>;
  /** org id -> module id -> the enablement. */
  readonly orgModules: ReadonlyMap<string, ReadonlyMap<string, OrgModuleEntry>>;
  /**
   * Hashes of keys that were in an earlier snapshot of this process but are gone now (revoked, or
   * their owner deleted). Lets the gateway say "revoked" rather than "invalid"; lost on restart.
   */
  readonly removedKeyHashes: ReadonlySet<string>;
  /** limitScopeKey(scope, scopeId, orgId) -> what is set on the scope (snapshot kind `limits`). */
  readonly limitsByScope: ReadonlyMap<string, LimitEntry>;
  /**
   * Per key resource, the limits of its scopes (filled on first use by budgets/applicable.ts): a request of a key
   * with limits then costs one identity lookup, and shares one array with the key's other requests.
   */
  readonly keyLimits = new WeakMap<SnapshotKey, KeyLimits>();
  /** org id -> the number of limit entries in the org. */
  readonly limitOrgs: ReadonlyMap<string, number>;
  /**
   * The snapshot holds at least one budget or rate limit: with none, the budget and rate-limit stages cost a request
   * this one boolean check.
   */
  readonly hasLimits: boolean;
  /** The maps behind the read side, for the next delta. */
  readonly parts: StoreParts;
  #refs: RefIndex | null;
  #snapshot: Snapshot | null = null;
  #hasRateLimits: boolean | null = null;

  /**
   * Builds a store from a whole snapshot (O(n), synchronous: tests and boot; the sync client builds full snapshots
   * part by part instead), or wraps parts a delta or a builder produced. A snapshot must already have passed
   * snapshotProblems; its resources are frozen and become the store's.
   */
  constructor(
    from: Snapshot | StoreParts,
    meta: StoreMeta,
    previous?: SnapshotStore | null,
    refs: RefIndex | null = null,
  ) {
    let parts: StoreParts;
    if ('byId' in from) parts = from as StoreParts;
    else {
      const builder = new StoreBuilder();
      builder.addSnapshot(from as Snapshot);
      ({ parts, refs } = buildSync(builder, previous ?? null));
    }
    this.version = meta.version;
    this.hash = meta.hash;
    this.source = meta.source;
    this.appliedAt = new Date();
    this.parts = parts;
    this.#refs = refs;
    this.orgs = parts.byId.orgs;
    this.teams = parts.byId.teams;
    this.users = parts.byId.users;
    this.credentials = parts.byId.credentials;
    this.keysByHash = new KeyIndex(parts);
    this.modelsByName = parts.modelsByName;
    this.modulesByKey = parts.modulesByKey;
    this.orgModules = parts.orgModules;
    this.removedKeyHashes = parts.removedKeyHashes;
    this.limitsByScope = parts.limitsByScope;
    this.limitOrgs = parts.limitOrgs;
    this.hasLimits = parts.limitsByScope.size > 0;
  }

  /** Some scope has an rpm or tpm (computed on first use: O(limits), off the request path). */
  get hasRateLimits(): boolean {
    if (this.#hasRateLimits === null) {
      let any = false;
      for (const { limit } of this.limitsByScope.values()) {
        if (limit.rpm !== undefined || limit.tpm !== undefined) {
          any = true;
          break;
        }
      }
      this.#hasRateLimits = any;
    }
    return this.#hasRateLimits;
  }

  /** The snapshot this store serves, as the contract shapes it (materialised on first use: O(n)). */
  get snapshot(): Snapshot {
    if (!this.#snapshot) {
      const s: Record<string, Record<string, unknown>> = {};
      for (const kind of resourceKinds) {
        const map = this.parts.byId[kind];
        if (map.size === 0 && optionalKinds.includes(kind)) continue;
        s[kind] = Object.freeze(Object.fromEntries(map));
      }
      this.#snapshot = Object.freeze(s) as unknown as Snapshot;
    }
    return this.#snapshot;
  }

  /**
   * Hands the reverse-reference index to the store a delta builds from this one (the index then follows the newest
   * store); a store that no longer holds it rebuilds one (O(n), only when a delta is applied to an older store).
   */
  takeRefs(rebuild: () => RefIndex): RefIndex {
    const refs = this.#refs ?? rebuild();
    this.#refs = null;
    return refs;
  }

  /** Gives the index back when the delta it was taken for is rejected. */
  returnRefs(refs: RefIndex): void {
    this.#refs = refs;
  }
}

/** The one mutable reference: requests read `current` once and keep that store until they finish. */
export class StoreHolder {
  #current: SnapshotStore | null = null;
  readonly #listeners = new Set<(store: SnapshotStore) => void>();

  get current(): SnapshotStore | null {
    return this.#current;
  }

  swap(next: SnapshotStore): void {
    this.#current = next;
    for (const listener of this.#listeners) listener(next);
  }

  onSwap(listener: (store: SnapshotStore) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
