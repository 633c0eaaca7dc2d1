// Display helpers of the global admin panel: prices, deployment shares, hashes, JSON states and fleet lag.

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 6,
});

/** "$0.15" for a price per million tokens: at least cents, up to 6 decimals so small prices stay exact. */
export function formatUsdPrice(value: number): string {
  return usd.format(value);
}

/** Each deployment's share of the model's traffic in percent (weight / sum of weights), rounded to one decimal. */
export function deploymentShares(weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  return weights.map((w) => Math.round((w / sum) * 1000) / 10);
}

/** "3 (75 %)" */
export function formatShare(share: number): string {
  return `${Number.isInteger(share) ? share : share.toFixed(1)} %`;
}

/** The first 12 hex digits of a SHA-256, enough to tell snapshots apart at a glance. */
export function shortHash(hash: string | null | undefined, length = 12): string {
  return hash ? hash.slice(0, length) : '—';
}

/** A node's lag: "Up to date", "3 versions behind", or "Unknown" when it has applied nothing yet. */
export function lagLabel(lag: number | null | undefined): string {
  if (lag === null || lag === undefined) return 'Unknown';
  if (lag <= 0) return 'Up to date';
  return lag === 1 ? '1 version behind' : `${lag} versions behind`;
}

/** The tag colour of a lag: fine when caught up, a warning for a little behind, an error for more. */
export function lagType(lag: number | null | undefined): 'success' | 'warning' | 'error' | 'default' {
  if (lag === null || lag === undefined) return 'default';
  if (lag <= 0) return 'success';
  return lag <= 2 ? 'warning' : 'error';
}

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

const roleLabels: Record<string, string> = {
  PLATFORM_ADMIN: 'Platform admin',
  ORG_ADMIN: 'Org admin',
  ORG_VIEWER: 'Org viewer',
};

export function roleLabel(role: string): string {
  return roleLabels[role] ?? role;
}
