// Which scopes' limits apply to a request: its org, its key's team (the team the key's usage is attributed to), its
// user, the key itself, and the module it is attributed to within the org. Found once per key and module in each
// store (SnapshotStore.keyLimits): a request then costs an identity lookup and allocates nothing.
import { limitScopeKey } from '@gw/schema';
import type { RequestContext } from '../pipeline/context.ts';
import type { KeyEntry, KeyLimits, LimitEntry, SnapshotStore } from '../snapshot/store.ts';

/** The limits set on the admitted request's scopes; null when none is (an org without any costs one lookup). */
export function applicableLimits(store: SnapshotStore, ctx: RequestContext): readonly LimitEntry[] | null {
  const key = ctx.key!;
  if (!store.limitOrgs.has(key.org.id)) return null;
  let memo = store.keyLimits.get(key.key);
  if (memo === undefined) {
    memo = { own: ownLimits(store, key), byModule: null };
    store.keyLimits.set(key.key, memo);
  }
  const moduleId = ctx.moduleId;
  if (moduleId === null) return memo.own;
  memo.byModule ??= new Map();
  let limits = memo.byModule.get(moduleId);
  if (limits === undefined) {
    limits = withModule(store, memo, key, moduleId);
    memo.byModule.set(moduleId, limits);
  }
  return limits;
}

function ownLimits(store: SnapshotStore, key: KeyEntry): LimitEntry[] | null {
  const byScope = store.limitsByScope;
  const orgId = key.org.id;
  const found: LimitEntry[] = [];
  const add = (entry: LimitEntry | undefined) => {
    if (entry !== undefined) found.push(entry);
  };
  add(byScope.get(limitScopeKey('org', orgId, orgId)));
  if (key.team !== null) add(byScope.get(limitScopeKey('team', key.team.id, orgId)));
  if (key.user !== null) add(byScope.get(limitScopeKey('user', key.user.id, orgId)));
  add(byScope.get(limitScopeKey('key', key.key.id, orgId)));
  return found.length ? found : null;
}

function withModule(
  store: SnapshotStore,
  memo: KeyLimits,
  key: KeyEntry,
  moduleId: string,
): readonly LimitEntry[] | null {
  const entry = store.limitsByScope.get(limitScopeKey('module', moduleId, key.org.id));
  if (entry === undefined) return memo.own;
  return memo.own === null ? [entry] : [...memo.own, entry];
}
