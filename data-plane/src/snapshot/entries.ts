// The resolved index entries the request path reads (models, org modules: built once per touched resource,
// immutable; key entries are resolved on lookup, see key-index.ts), sharing the snapshot's own objects and one
// array and Set per distinct model list.
import type {
  SnapshotCredential,
  SnapshotModel,
  SnapshotModule,
  SnapshotOrg,
  SnapshotOrgModule,
  SnapshotTeam,
  SnapshotUser,
} from '@gw/schema';
import { type BudgetPeriod, budgetPeriods, limitScopeKey, picoPerToken, type SnapshotLimit } from '@gw/schema';
import type { DeploymentEntry, LimitEntry, ModelEntry, OrgModuleEntry } from './store.ts';

/** Interns strings and model-list Sets so that 100k keys hold one copy of each org id, team id, list, ... */
export class Interner {
  readonly #strings = new Map<string, string>();
  readonly #lists = new Map<string, ReadonlySet<string>>();
  readonly #orgLists = new WeakMap<SnapshotOrg, ReadonlySet<string>>();
  readonly #arrays = new Map<string, readonly string[]>();
  readonly #arraySets = new WeakMap<readonly string[], ReadonlySet<string>>();

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

  /** One frozen array per distinct list of names: resources share it (14,000 keys with the same two models). */
  array(names: readonly string[]): readonly string[] {
    const id = names.join('\n');
    let a = this.#arrays.get(id);
    if (!a) {
      a = Object.freeze(names.map((n) => this.string(n)));
      this.#arrays.set(id, a);
    }
    return a;
  }

  /** The Set of a list of names, remembered per array (lookups on the request path allocate nothing). */
  listOf(names: readonly string[]): ReadonlySet<string> {
    let set = this.#arraySets.get(names);
    if (!set) {
      set = this.list(names);
      this.#arraySets.set(names, set);
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

export function modelEntry(model: SnapshotModel, at: EntryLookup): ModelEntry {
  const deployments: DeploymentEntry[] = model.deployments.map((deployment) => {
    const credential = at.credential(deployment.credentialId) as SnapshotCredential;
    return { deployment, credential, provider: credential.provider };
  });
  const totalWeight = deployments.reduce((sum, d) => sum + d.deployment.weight, 0);
  const { prices } = model;
  const pico = {
    input: picoPerToken(prices.inputPerMTok),
    output: picoPerToken(prices.outputPerMTok),
    cachedInput: picoPerToken(prices.cachedInputPerMTok),
  };
  return { model, deployments, totalWeight, pico };
}

export function orgModuleEntry(e: SnapshotOrgModule, at: EntryLookup, intern: Interner): OrgModuleEntry {
  return {
    module: at.module(e.moduleId) as SnapshotModule,
    allowedModels: e.allowedModels ? intern.list(e.allowedModels) : null,
  };
}

export function limitEntry(limit: SnapshotLimit, intern: Interner): LimitEntry {
  const periods: BudgetPeriod[] = budgetPeriods.filter((p) => limit.budgets[p] !== undefined);
  return {
    limit,
    id: limit.id,
    scopeKey: limitScopeKey(limit.scope, limit.scopeId, limit.orgId),
    rpm: limit.rpm ?? 0,
    tpm: limit.tpm ?? 0,
    periods: intern.array(periods) as readonly BudgetPeriod[],
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
  if (Array.isArray(r.allowedModels)) r.allowedModels = intern.array(r.allowedModels as string[]);
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
