// The resolved index entries the request path reads: built once per touched resource, immutable, sharing the
// snapshot's own objects and one Set per distinct model list.
import type {
  SnapshotCredential,
  SnapshotKey,
  SnapshotModel,
  SnapshotModule,
  SnapshotOrg,
  SnapshotOrgModule,
  SnapshotTeam,
  SnapshotUser,
} from '@gw/schema';
import type { DeploymentEntry, KeyEntry, ModelEntry, OrgModuleEntry } from './store.ts';

/** Interns strings and model-list Sets so that 100k keys hold one copy of each org id, team id, list, ... */
export class Interner {
  readonly #strings = new Map<string, string>();
  readonly #lists = new Map<string, ReadonlySet<string>>();
  readonly #orgLists = new WeakMap<SnapshotOrg, ReadonlySet<string>>();

  string(s: string): string {
    const known = this.#strings.get(s);
    if (known !== undefined) return known;
    this.#strings.set(s, s);
    return s;
  }

  list(names: readonly string[]): ReadonlySet<string> {
    const id = names.join('\n');
    let set = this.#lists.get(id);
    if (!set) {
      set = new Set(names);
      this.#lists.set(id, set);
    }
    return set;
  }

  orgList(org: SnapshotOrg): ReadonlySet<string> | null {
    if (!org.allowedModels) return null;
    let set = this.#orgLists.get(org);
    if (!set) {
      set = this.list(org.allowedModels);
      this.#orgLists.set(org, set);
    }
    return set;
  }
}

/** What building an entry may look up (the store being built, or the store after a delta). */
export interface EntryLookup {
  org(id: string): SnapshotOrg | undefined;
  team(id: string): SnapshotTeam | undefined;
  user(id: string): SnapshotUser | undefined;
  module(id: string): SnapshotModule | undefined;
  credential(id: string): SnapshotCredential | undefined;
}

/** The entries of a key by secret hash: its current secret, and the replaced one during its grace period. */
export function keyEntries(key: SnapshotKey, at: EntryLookup, intern: Interner): [string, KeyEntry][] {
  const org = at.org(key.orgId) as SnapshotOrg;
  const entry: KeyEntry = {
    key,
    org,
    team: key.teamId ? (at.team(key.teamId) ?? null) : null,
    user: key.userId ? (at.user(key.userId) ?? null) : null,
    expiresAtMs: key.expiresAt ? Date.parse(key.expiresAt) : null,
    allowedModels: key.allowedModels ? intern.list(key.allowedModels) : null,
    orgAllowedModels: intern.orgList(org),
    module: key.moduleId ? (at.module(key.moduleId) ?? null) : null,
    graceEndsAtMs: null,
  };
  if (!key.previous) return [[key.hash, entry]];
  // The replaced secret acts as the same key (same id, owner, limits) until its grace period ends.
  return [
    [key.hash, entry],
    [key.previous.hash, { ...entry, graceEndsAtMs: Date.parse(key.previous.expiresAt) }],
  ];
}

export function modelEntry(model: SnapshotModel, at: EntryLookup): ModelEntry {
  const deployments: DeploymentEntry[] = model.deployments.map((deployment) => {
    const credential = at.credential(deployment.credentialId) as SnapshotCredential;
    return { deployment, credential, provider: credential.provider };
  });
  const totalWeight = deployments.reduce((sum, d) => sum + d.deployment.weight, 0);
  return { model, deployments, totalWeight };
}

export function orgModuleEntry(e: SnapshotOrgModule, at: EntryLookup, intern: Interner): OrgModuleEntry {
  return {
    module: at.module(e.moduleId) as SnapshotModule,
    allowedModels: e.allowedModels ? intern.list(e.allowedModels) : null,
  };
}

/** Kinds other resources refer to: their ids are interned. */
export const referencedKinds: ReadonlySet<string> = new Set(['orgs', 'teams', 'users', 'modules', 'credentials']);

/** Freezes a resource and what it holds, interning the ids it refers to (ids are short and repeated often). */
export function ingestResource<T>(resource: T, intern: Interner, internId: boolean): T {
  const r = resource as Record<string, unknown>;
  if (Object.isFrozen(r)) return resource;
  if (internId && typeof r.id === 'string') r.id = intern.string(r.id);
  for (const field of ['orgId', 'teamId', 'userId', 'moduleId', 'credentialId']) {
    const v = r[field];
    if (typeof v === 'string') r[field] = intern.string(v);
  }
  if (Array.isArray(r.teamIds)) r.teamIds = r.teamIds.map((t: string) => intern.string(t));
  if (Array.isArray(r.deployments)) for (const d of r.deployments) ingestResource(d, intern, false);
  return deepFreeze(resource);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
