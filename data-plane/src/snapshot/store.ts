// An immutable, indexed view of one applied snapshot; swapped as a whole, never mutated.
import type {
  ProviderKind,
  Snapshot,
  SnapshotCredential,
  SnapshotDeployment,
  SnapshotKey,
  SnapshotModel,
  SnapshotModule,
  SnapshotOrg,
  SnapshotTeam,
  SnapshotUser,
} from '@gw/schema';

export type SnapshotSource = 'control-plane' | 'disk';

/** A key with everything the request path needs already resolved, so policy does no lookups or parsing. */
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

export interface ModelEntry {
  readonly model: SnapshotModel;
  readonly deployments: readonly DeploymentEntry[];
  readonly totalWeight: number;
}

/** How many removed key hashes are remembered to answer "revoked" instead of "invalid". */
const removedKeyMemory = 10_000;

export class SnapshotStore {
  readonly version: number;
  readonly hash: string;
  readonly source: SnapshotSource;
  readonly appliedAt: Date;
  readonly snapshot: Snapshot;
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

  /**
   * Builds the indexes. The snapshot must already have passed snapshotProblems (no dangling
   * references); it is frozen so that a store can be shared by requests in flight.
   */
  constructor(
    snapshot: Snapshot,
    meta: { version: number; hash: string; source: SnapshotSource },
    previous?: SnapshotStore | null,
  ) {
    this.version = meta.version;
    this.hash = meta.hash;
    this.source = meta.source;
    this.appliedAt = new Date();
    this.snapshot = deepFreeze(snapshot);

    this.orgs = new Map(Object.entries(snapshot.orgs));
    this.teams = new Map(Object.entries(snapshot.teams));
    this.users = new Map(Object.entries(snapshot.users));
    this.credentials = new Map(Object.entries(snapshot.credentials));

    // One set per restricted org, shared by all its keys.
    const orgModels = new Map<string, ReadonlySet<string>>();
    for (const org of Object.values(snapshot.orgs)) {
      if (org.allowedModels) orgModels.set(org.id, new Set(org.allowedModels));
    }
    // Kinds added later are absent from snapshots persisted before them: absent = none.
    const modules = snapshot.modules ?? {};
    this.modulesByKey = new Map(Object.values(modules).map((m) => [m.key, m]));
    const enabled = new Map<string, Map<string, OrgModuleEntry>>();
    for (const e of Object.values(snapshot.orgModules ?? {})) {
      const perOrg = enabled.get(e.orgId) ?? new Map<string, OrgModuleEntry>();
      perOrg.set(e.moduleId, {
        module: modules[e.moduleId],
        allowedModels: e.allowedModels ? new Set(e.allowedModels) : null,
      });
      enabled.set(e.orgId, perOrg);
    }
    this.orgModules = enabled;

    const keys = new Map<string, KeyEntry>();
    for (const key of Object.values(snapshot.keys)) {
      const expires = key.expiresAt ? Date.parse(key.expiresAt) : null;
      const entry: KeyEntry = {
        key,
        org: snapshot.orgs[key.orgId],
        team: key.teamId ? snapshot.teams[key.teamId] : null,
        user: key.userId ? snapshot.users[key.userId] : null,
        expiresAtMs: expires,
        allowedModels: key.allowedModels ? new Set(key.allowedModels) : null,
        orgAllowedModels: orgModels.get(key.orgId) ?? null,
        module: key.moduleId ? modules[key.moduleId] : null,
        graceEndsAtMs: null,
      };
      keys.set(key.hash, entry);
      // The replaced secret acts as the same key (same id, owner, limits) until its grace period ends.
      if (key.previous) keys.set(key.previous.hash, { ...entry, graceEndsAtMs: Date.parse(key.previous.expiresAt) });
    }
    this.keysByHash = keys;

    const models = new Map<string, ModelEntry>();
    for (const model of Object.values(snapshot.models)) {
      const deployments = model.deployments.map((deployment) => {
        const credential = snapshot.credentials[deployment.credentialId];
        return { deployment, credential, provider: credential.provider };
      });
      const totalWeight = deployments.reduce((sum, d) => sum + d.deployment.weight, 0);
      models.set(model.name, { model, deployments, totalWeight });
    }
    this.modelsByName = models;

    const removed = new Set<string>();
    if (previous) {
      for (const h of previous.removedKeyHashes) if (!keys.has(h)) removed.add(h);
      for (const h of previous.keysByHash.keys()) if (!keys.has(h)) removed.add(h);
      // Sets iterate in insertion order: drop the oldest first.
      for (const h of removed) {
        if (removed.size <= removedKeyMemory) break;
        removed.delete(h);
      }
    }
    this.removedKeyHashes = removed;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
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
