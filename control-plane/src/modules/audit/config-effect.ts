// The one place that decides whether an audited change changes the data planes' config: it compares the audited
// views before and after on the fields the snapshot holds. (Interim: once row triggers record config changes in the
// database, this goes and every change just commits.)
import { isDeepStrictEqual } from 'node:util';

/**
 * Per target type, which fields of its audited view the snapshot does NOT hold ('none' = nothing of it is in the
 * snapshot; 'every change' = compare nothing, any write changes config). Unknown types count as config changes:
 * an extra version costs a data plane one small delta, a missing one leaves it serving stale config.
 */
const outsideSnapshot: Record<string, readonly string[] | 'none' | 'every change'> = {
  organization: ['slug', 'createdAt'],
  team: ['createdAt', 'detachedKeys'],
  user: ['name', 'createdAt'],
  virtualKey: ['name', 'alias', 'metadata', 'lastUsedAt', 'status', 'createdAt'],
  module: ['name', 'description', 'createdAt'],
  orgModule: ['enabledAt'],
  model: [],
  // A rotated API key can keep its hint: the audited view cannot show every change of what is sent.
  providerCredential: 'every change',
  adminUser: 'none',
  apiToken: 'none',
  billingSettings: 'none',
};

/** A view that says its target is absent: none, or a disablement (`enabled: false`). */
function present(view: unknown): Record<string, unknown> | null {
  if (view === null || view === undefined || typeof view !== 'object') return null;
  const v = view as Record<string, unknown>;
  return v.enabled === false ? null : v;
}

function without(view: Record<string, unknown> | null, fields: readonly string[]) {
  if (!view) return null;
  return Object.fromEntries(Object.entries(view).filter(([k]) => !fields.includes(k)));
}

export function changesConfig(targetType: string, before: unknown, after: unknown): boolean {
  const rule = outsideSnapshot[targetType] ?? [];
  if (rule === 'none') return false;
  if (rule === 'every change') return true;
  return !isDeepStrictEqual(without(present(before), rule), without(present(after), rule));
}
