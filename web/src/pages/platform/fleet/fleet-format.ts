// Display helpers of the Fleet page: short snapshot hashes and how far behind a node is.

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
