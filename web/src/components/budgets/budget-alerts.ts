// The live list behind BudgetAlertList: the newest alerts from the query, with those pushed by the subscription put
// in front (once each, however often they arrive), cut to the list's length.
export interface AlertItem {
  id: string;
  raisedAt: string;
}

export function mergeAlerts<T extends AlertItem>(current: readonly T[], pushed: readonly T[], max: number): T[] {
  const byId = new Map<string, T>();
  for (const a of [...pushed, ...current]) if (!byId.has(a.id)) byId.set(a.id, a);
  const all = [...byId.values()];
  all.sort((a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || (a.id < b.id ? 1 : -1));
  return all.slice(0, max);
}

/** A short label for an alert's kind and level, e.g. "80%" or "Fail-open". */
export function alertBadge(a: { kind: string; threshold?: number | null }): string {
  return a.kind === 'FAIL_OPEN' ? 'Fail-open' : `${a.threshold ?? '?'}%`;
}

/** Tag colour: fail-open and 100% and more are errors, 80% and more warnings, the rest informational. */
export function alertSeverity(a: { kind: string; threshold?: number | null }): 'error' | 'warning' | 'info' {
  if (a.kind === 'FAIL_OPEN' || (a.threshold ?? 0) >= 100) return 'error';
  return (a.threshold ?? 0) >= 80 ? 'warning' : 'info';
}
