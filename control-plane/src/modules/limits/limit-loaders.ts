// Per-request loader of the limits of scopes: every scope asked for in one tick is read with one query (plus one
// for the ledger), whatever the number of parents.
import DataLoader from 'dataloader';
import type { Em } from '../../db/orm.ts';
import { isUuid } from '../../graphql/validate.ts';
import { loadLimitRows } from './limit-rows.ts';
import { type LeaseTiming, withStatus } from './limits.service.ts';
import type { ScopeLimits } from './limits.type.ts';
import type { ScopeRef } from './limits-write.ts';

const refKey = (r: ScopeRef) => `${r.orgId} ${r.scope} ${r.scopeId}`;

/** A scope, and the lease timing of the config (the same for every key of a request). */
export interface ScopeLoad extends ScopeRef {
  timing: LeaseTiming;
}

export function limitLoaders(em: Em) {
  return {
    limitsOfScope: new DataLoader<ScopeLoad, ScopeLimits | null, string>(
      async (refs) => {
        const valid = refs.filter((r) => isUuid(r.orgId));
        const rows = valid.length
          ? await loadLimitRows(
              em,
              `(l.org_id, l.scope_kind, l.scope_id) in (select * from unnest(?::uuid[], ?::text[], ?::text[]))`,
              [
                `{${valid.map((r) => r.orgId).join(',')}}`,
                `{${valid.map((r) => r.scope).join(',')}}`,
                `{${valid.map((r) => JSON.stringify(r.scopeId)).join(',')}}`,
              ],
            )
          : [];
        const all = await withStatus(em, rows, refs[0].timing);
        const byKey = new Map(all.map((s) => [refKey({ orgId: s.orgId, scope: s.scope, scopeId: s.scopeId }), s]));
        return refs.map((r) => byKey.get(refKey(r)) ?? null);
      },
      { cacheKeyFn: refKey },
    ),
  };
}
