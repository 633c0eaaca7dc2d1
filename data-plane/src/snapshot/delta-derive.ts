// The next store's maps after a verified delta: each map gets only the entries the change touches (the changed
// resources, and the index entries that embed a changed org, team, user, module or credential).
import {
  type AnyResource,
  limitScopeKey,
  type ResourceKind,
  type ResourceTypes,
  type SnapshotKey,
  type SnapshotModel,
  type SnapshotModule,
  type SnapshotOrgModule,
} from '@gw/schema';
import type { ResourceChanges } from './delta.ts';
import { type EntryLookup, limitEntry, modelEntry, orgModuleEntry } from './entries.ts';
import { hashesOf } from './key-index.ts';
import { type Change, gone, type LayeredMap } from './layered-map.ts';
import type { RefIndex } from './refs.ts';
import {
  type LimitEntry,
  type ModelEntry,
  type OrgModuleEntry,
  type ResourceMaps,
  removedKeyMemory,
  type StoreParts,
} from './store.ts';

export function derivedChanges(P: StoreParts, changes: ResourceChanges, refs: RefIndex): StoreParts {
  const byId = { ...P.byId } as Record<ResourceKind, LayeredMap<string, AnyResource>>;
  for (const [kind, m] of changes) byId[kind] = (P.byId[kind] as LayeredMap<string, AnyResource>).with(m);
  const next = byId as unknown as ResourceMaps;
  const at: EntryLookup = {
    org: (id) => next.orgs.get(id),
    team: (id) => next.teams.get(id),
    user: (id) => next.users.get(id),
    module: (id) => next.modules.get(id),
    credential: (id) => next.credentials.get(id),
  };
  const of = <K extends ResourceKind>(kind: K) =>
    (changes.get(kind) ?? new Map()) as Map<string, Change<ResourceTypes[K]>>;
  const old = <K extends ResourceKind>(kind: K, id: string) => P.byId[kind].get(id);
  /** The ids of `sourceKind` resources that refer to an upserted resource of `kind` (after the delta). */
  const referrersOfUpserted = (kind: ResourceKind, sourceKind: ResourceKind, into: Set<string>) => {
    for (const [id, r] of of(kind)) {
      if (r !== gone) for (const sid of refs.referrersOf(kind, id, sourceKind)) into.add(sid);
    }
  };

  // Keys: by secret hash. Entries are resolved on lookup (key-index.ts): an org, team or user change touches none.
  const keyChanges = new Map<string, Change<SnapshotKey>>();
  for (const [id, _r] of of('keys')) {
    const was = old('keys', id);
    if (was) for (const h of hashesOf(was)) keyChanges.set(h, gone);
  }
  for (const [, r] of of('keys')) if (r !== gone) for (const h of hashesOf(r)) keyChanges.set(h, r);
  const removedKeyHashes = rememberRemoved(P.removedKeyHashes, keyChanges);

  const modelChanges = new Map<string, Change<ModelEntry>>();
  const models = new Set<string>();
  for (const [id, r] of of('models')) {
    const was = old('models', id);
    if (was) modelChanges.set(was.name, gone);
    if (r !== gone) models.add(id);
  }
  referrersOfUpserted('credentials', 'models', models);
  for (const id of models) {
    const model = next.models.get(id) as SnapshotModel;
    modelChanges.set(model.name, modelEntry(model, at));
  }

  const moduleChanges = new Map<string, Change<SnapshotModule>>();
  for (const [id] of of('modules')) {
    const was = old('modules', id);
    if (was) moduleChanges.set(was.key, gone);
  }
  for (const [, r] of of('modules')) if (r !== gone) moduleChanges.set(r.key, r);

  // Org modules: each touched org's (small) map of enablements is copied and changed.
  const perOrg = new Map<string, Map<string, OrgModuleEntry>>();
  const orgMap = (orgId: string) => {
    let m = perOrg.get(orgId);
    if (!m) perOrg.set(orgId, (m = new Map(P.orgModules.get(orgId) ?? [])));
    return m;
  };
  const pairChanges = new Map<string, Change<string>>();
  for (const [id] of of('orgModules')) {
    const was = old('orgModules', id);
    if (!was) continue;
    orgMap(was.orgId).delete(was.moduleId);
    pairChanges.set(`${was.orgId} ${was.moduleId}`, gone);
  }
  const enablements = new Set<string>();
  for (const [id, r] of of('orgModules')) if (r !== gone) enablements.add(id);
  referrersOfUpserted('modules', 'orgModules', enablements);
  for (const id of enablements) {
    const e = next.orgModules.get(id) as SnapshotOrgModule;
    orgMap(e.orgId).set(e.moduleId, orgModuleEntry(e, at, P.intern));
    pairChanges.set(`${e.orgId} ${e.moduleId}`, e.id);
  }
  const orgModuleChanges = new Map<string, Change<ReadonlyMap<string, OrgModuleEntry>>>();
  for (const [orgId, m] of perOrg) orgModuleChanges.set(orgId, m.size ? m : gone);

  // Limits: by scope key, and a count per org.
  const limitChanges = new Map<string, Change<LimitEntry>>();
  const orgCounts = new Map<string, number>();
  const count = (orgId: string, by: number) =>
    orgCounts.set(orgId, (orgCounts.get(orgId) ?? P.limitOrgs.get(orgId) ?? 0) + by);
  for (const [id] of of('limits')) {
    const was = old('limits', id);
    if (!was) continue;
    limitChanges.set(limitScopeKey(was.scope, was.scopeId, was.orgId), gone);
    count(was.orgId, -1);
  }
  for (const [, r] of of('limits')) {
    if (r === gone) continue;
    const entry = limitEntry(r, P.intern);
    limitChanges.set(entry.scopeKey, entry);
    count(r.orgId, 1);
  }
  const limitOrgChanges = new Map<string, Change<number>>();
  for (const [orgId, n] of orgCounts) limitOrgChanges.set(orgId, n > 0 ? n : gone);

  return {
    byId: next,
    keyByHash: P.keyByHash.with(keyChanges),
    modelsByName: P.modelsByName.with(modelChanges),
    modulesByKey: P.modulesByKey.with(moduleChanges),
    orgModules: P.orgModules.with(orgModuleChanges),
    orgModuleByPair: P.orgModuleByPair.with(pairChanges),
    limitsByScope: P.limitsByScope.with(limitChanges),
    limitOrgs: P.limitOrgs.with(limitOrgChanges),
    removedKeyHashes,
    intern: P.intern,
  };
}

/** The removed-key memory after a change: bounded (10,000), so copying it is O(1) in the snapshot's size. */
function rememberRemoved(
  before: ReadonlySet<string>,
  keyChanges: Map<string, Change<SnapshotKey>>,
): ReadonlySet<string> {
  let after: Set<string> | null = null;
  for (const [h, e] of keyChanges) {
    const wasRemoved = before.has(h);
    if ((e === gone) === wasRemoved) continue;
    after ??= new Set(before);
    if (e === gone) {
      after.delete(h); // re-added at the end: newest last
      after.add(h);
    } else after.delete(h);
  }
  if (!after) return before;
  for (const h of after) {
    if (after.size <= removedKeyMemory) break;
    after.delete(h);
  }
  return after;
}
