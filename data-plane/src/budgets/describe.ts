// How budgets read to a caller: amounts in dollars, scopes by name and key, the refusal messages.
import { limitScopeKey, nanoPerUsd, type SnapshotLimit } from '@gw/schema';
import type { SnapshotStore } from '../snapshot/store.ts';

/**
 * Nano-dollars as a decimal dollar string, exact (integer arithmetic), trailing zeros trimmed down to `minDecimals`:
 * 731_200_000 -> "0.7312", 10_000_000_000 -> "10.00" (minDecimals 2).
 */
export function formatUsd(nano: number, minDecimals = 2): string {
  const abs = nano < 0 ? -nano : nano;
  const whole = Math.floor(abs / nanoPerUsd);
  let fraction = abs - whole * nanoPerUsd;
  let digits = 9;
  while (digits > minDecimals && fraction % 10 === 0) {
    fraction /= 10;
    digits--;
  }
  const text = digits === 0 ? `${whole}` : `${whole}.${String(fraction).padStart(digits, '0')}`;
  return nano < 0 ? `-${text}` : text;
}

/** The scope as the snapshot names it: "team 'Support' (team:<id>)"; the key alone when the scope is unknown. */
export function scopeLabel(store: SnapshotStore, limit: SnapshotLimit): string {
  const key = limitScopeKey(limit.scope, limit.scopeId, limit.orgId);
  let name: string | undefined;
  switch (limit.scope) {
    case 'org':
      name = store.orgs.get(limit.scopeId)?.name;
      break;
    case 'team':
      name = store.teams.get(limit.scopeId)?.name;
      break;
    case 'user':
      name = store.users.get(limit.scopeId)?.email;
      break;
    case 'key':
      name = store.parts.byId.keys.get(limit.scopeId)?.prefix;
      break;
    case 'module':
      name = store.parts.byId.modules.get(limit.scopeId)?.key;
      break;
  }
  return name === undefined ? `${limit.scope} ${key}` : `${limit.scope} '${name}' (${key})`;
}

/** The message of `budget_exceeded`: which scope, which period, how much, and when it resets (never for `total`). */
export function exceededMessage(
  store: SnapshotStore,
  limit: SnapshotLimit,
  period: keyof SnapshotLimit['budgets'],
  resetsAt: string | null,
): string {
  const amount = limit.budgets[period] ?? 0;
  const spent = `${scopeLabel(store, limit)} ${period} budget of $${formatUsd(amount)} is spent`;
  return resetsAt === null || period === 'total' ? spent : `${spent}; it resets at ${resetsAt}`;
}
