// Which scopes' limits apply to a request: its org, its key's team (the team the key's usage is attributed to), its
// user, the key itself, and the module it is attributed to within the org.
import { limitScopeKey, type SnapshotLimit } from '@gw/schema';
import type { RequestContext } from '../pipeline/context.ts';
import type { SnapshotStore } from '../snapshot/store.ts';

/** The limits set on the admitted request's scopes; null when none is (an org without any costs one lookup). */
export function applicableLimits(store: SnapshotStore, ctx: RequestContext): SnapshotLimit[] | null {
  const key = ctx.key!;
  const orgId = key.org.id;
  if (!store.limitOrgs.has(orgId)) return null;
  const byScope = store.limitsByScope;
  let found: SnapshotLimit[] | null = null;
  let limit = byScope.get(limitScopeKey('org', orgId, orgId));
  if (limit !== undefined) found = [limit];
  if (key.team !== null) {
    limit = byScope.get(limitScopeKey('team', key.team.id, orgId));
    if (limit !== undefined) (found ??= []).push(limit);
  }
  if (key.user !== null) {
    limit = byScope.get(limitScopeKey('user', key.user.id, orgId));
    if (limit !== undefined) (found ??= []).push(limit);
  }
  limit = byScope.get(limitScopeKey('key', key.key.id, orgId));
  if (limit !== undefined) (found ??= []).push(limit);
  if (ctx.moduleId !== null) {
    limit = byScope.get(limitScopeKey('module', ctx.moduleId, orgId));
    if (limit !== undefined) (found ??= []).push(limit);
  }
  return found;
}
