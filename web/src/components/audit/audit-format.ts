// How an audit event's before/after states are shown: pretty JSON, and which top-level fields changed.

/** Pretty-printed JSON for an audit state; "—" when there is none (a create has no before, a delete no after). */
export function prettyJson(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return JSON.stringify(value, null, 2);
}

/** The top-level fields whose values differ between two audit states (every field when one side is missing). */
export function changedKeys(before: unknown, after: unknown): string[] {
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).sort();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
