// Applies a verified delta to a store in O(change): checks the upserted resources and the referrers of removed
// ones, updates the hash by the changed resources' digests, and derives the next store's maps from this one's.
import {
  type AnyResource,
  type DeltaMessage,
  dependentKinds,
  type ResourceKind,
  resourceKinds,
  resourceProblems,
  SnapshotHasher,
  type SnapshotLookup,
  uniqueClaims,
} from '@gw/schema';
import { derivedChanges } from './delta-derive.ts';
import { ingestResource, referencedKinds } from './entries.ts';
import { type Change, gone } from './layered-map.ts';
import { RefIndex } from './refs.ts';
import { type SnapshotSource, SnapshotStore } from './store.ts';

export type ResourceChanges = Map<ResourceKind, Map<string, Change<AnyResource>>>;

export type DeltaOutcome =
  | { readonly ok: true; readonly store: SnapshotStore }
  | { readonly ok: false; readonly problems: string[]; readonly hash?: string };

/** Past this many problems a delta's check stops looking: the delta is rejected either way. */
const problemLimit = 20;

export function applyDeltaToStore(
  current: SnapshotStore,
  message: Pick<DeltaMessage, 'version' | 'hash' | 'upsert' | 'remove'>,
  source: SnapshotSource,
): DeltaOutcome {
  const P = current.parts;
  const changes: ResourceChanges = new Map();
  const changed = (kind: ResourceKind) => {
    let m = changes.get(kind);
    if (!m) changes.set(kind, (m = new Map()));
    return m;
  };
  for (const kind of resourceKinds) {
    for (const id of message.remove[kind] ?? []) if (P.byId[kind].has(id)) changed(kind).set(id, gone);
    for (const [id, r] of Object.entries(message.upsert[kind] ?? {})) {
      changed(kind).set(id, ingestResource(r as AnyResource, P.intern, referencedKinds.has(kind)));
    }
  }
  const get = <K extends ResourceKind>(kind: K, id: string) => {
    const c = changes.get(kind)?.get(id);
    if (c !== undefined) return c === gone ? undefined : (c as never);
    return P.byId[kind].get(id);
  };

  // Unique claims after the delta: the changed resources' old claims are released, then their new ones made.
  const claimChanges = new Map<string, string | null>();
  const currentOwner = (kind: ResourceKind, claim: string): string | undefined => {
    if (kind === 'keys') return P.keyByHash.get(claim)?.id;
    if (kind === 'models') return P.modelsByName.get(claim)?.model.id;
    if (kind === 'modules') return P.modulesByKey.get(claim)?.id;
    if (kind === 'orgModules') return P.orgModuleByPair.get(claim);
    if (kind === 'limits') return P.limitsByScope.get(claim)?.limit.id;
    return undefined;
  };
  const claimOwner = (kind: ResourceKind, claim: string): string | undefined => {
    const c = claimChanges.get(`${kind} ${claim}`);
    if (c !== undefined) return c ?? undefined;
    return currentOwner(kind, claim);
  };
  for (const [kind, m] of changes) {
    for (const id of m.keys()) {
      const old = P.byId[kind].get(id) as AnyResource | undefined;
      if (!old) continue;
      for (const claim of uniqueClaims(kind, old)) {
        if (currentOwner(kind, claim) === id) claimChanges.set(`${kind} ${claim}`, null);
      }
    }
  }
  for (const [kind, m] of changes) {
    for (const [id, r] of m) {
      if (r === gone) continue;
      for (const claim of uniqueClaims(kind, r)) if (!claimOwner(kind, claim)) claimChanges.set(`${kind} ${claim}`, id);
    }
  }
  const lookup: SnapshotLookup = { get, claimOwner };

  const refs = current.takeRefs(() => RefIndex.build(P.byId));
  const problems: string[] = [];
  const check = (kind: ResourceKind, id: string, r: AnyResource) => {
    if (problems.length < problemLimit) problems.push(...resourceProblems(kind, id, r, lookup));
  };
  for (const [kind, m] of changes) {
    for (const [id, r] of m) {
      if (r !== gone) {
        check(kind, id, r);
        // A changed team or user: the keys that refer to it must still agree with it.
        for (const dependent of dependentKinds[kind] ?? []) {
          for (const sid of refs.referrersOf(kind, id, dependent)) {
            if (!changes.get(dependent)?.has(sid)) check(dependent, sid, get(dependent, sid) as AnyResource);
          }
        }
        continue;
      }
      // A removed resource: no remaining resource may refer to it (changed referrers were checked above).
      for (const [sk, ids] of refs.referrers(kind, id)) {
        for (const sid of ids) if (!changes.get(sk)?.has(sid)) check(sk, sid, get(sk, sid) as AnyResource);
      }
    }
  }
  if (problems.length) {
    current.returnRefs(refs);
    return { ok: false, problems };
  }

  const hasher = SnapshotHasher.fromHex(current.hash);
  for (const [kind, m] of changes) {
    for (const [id, r] of m) {
      const old = P.byId[kind].get(id);
      if (old) hasher.remove(kind, id, old);
      if (r !== gone) hasher.add(kind, id, r);
    }
  }
  if (hasher.hex !== message.hash) {
    current.returnRefs(refs);
    return { ok: false, problems: [], hash: hasher.hex };
  }

  for (const [kind, m] of changes) {
    for (const [id, r] of m) {
      const old = P.byId[kind].get(id) as AnyResource | undefined;
      if (old) refs.remove(kind, id, old);
      if (r !== gone) refs.add(kind, id, r);
    }
  }
  const parts = derivedChanges(P, changes, refs);
  const store = new SnapshotStore(parts, { version: message.version, hash: hasher.hex, source }, null, refs);
  return { ok: true, store };
}
