// How a data-plane node is doing, from its last report: data planes report every 10 s (node-status.ts), and the
// control plane counts a node as connected while its last report is under 30 s old.

export const heartbeatMs = 10_000;
/** Two missed heartbeats: still "connected" for the API, but worth a look. */
export const lateAfterMs = 2 * heartbeatMs;

export type NodeHealth = 'live' | 'late' | 'disconnected';

/**
 * `connected` comes from the control plane (its clock); lateness from the browser's clock, so a badly skewed
 * browser clock can only make a node look late, never connected when the control plane says it is not.
 */
export function nodeHealth(node: { connected: boolean; lastSeenAt: string }, now: number): NodeHealth {
  if (!node.connected) return 'disconnected';
  const seen = Date.parse(node.lastSeenAt);
  return Number.isFinite(seen) && now - seen > lateAfterMs ? 'late' : 'live';
}

export const healthLabel: Record<NodeHealth, string> = {
  live: 'Connected',
  late: 'Late',
  disconnected: 'Disconnected',
};

export const healthType: Record<NodeHealth, 'success' | 'warning' | 'error'> = {
  live: 'success',
  late: 'warning',
  disconnected: 'error',
};

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "just now", "12 seconds ago", "3 minutes ago", "2 days ago"; "—" without a date. Future dates (clock skew) are "just now". */
export function formatAgo(iso: string | null | undefined, now: number, locale?: string): string {
  if (!iso) return '—';
  const then = Date.parse(iso);
  if (!Number.isFinite(then)) return '—';
  const elapsed = now - then;
  if (elapsed < 5000) return 'just now';
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, ms] of units) {
    if (elapsed >= ms) return format.format(-Math.floor(elapsed / ms), unit);
  }
  return 'just now';
}

/** Sync states (PROTOCOL.md, "Sync states"): a node that rejects config is not merely behind. */
export type SyncState = 'IN_SYNC' | 'LAGGING' | 'REJECTING' | 'REFUSED' | 'OFFLINE';

export const syncLabel: Record<SyncState, string> = {
  IN_SYNC: 'In sync',
  LAGGING: 'Catching up',
  REJECTING: 'Rejecting config',
  REFUSED: 'Refused',
  OFFLINE: 'Offline',
};

export const syncType: Record<SyncState, 'success' | 'info' | 'warning' | 'error' | 'default'> = {
  IN_SYNC: 'success',
  LAGGING: 'info',
  REJECTING: 'error',
  REFUSED: 'error',
  OFFLINE: 'default',
};

/** Why a node is not in sync, when it says: its rejection or its refusal. */
export function syncReason(node: {
  syncState: SyncState;
  refusedReason?: string | null;
  lastRejected?: { version?: number | null; reason: string } | null;
}): string | null {
  if (node.syncState === 'REFUSED') return node.refusedReason ?? null;
  if (node.syncState === 'REJECTING' && node.lastRejected) {
    const v = node.lastRejected.version;
    return `${v === null || v === undefined ? 'Rejected' : `Rejected v${v}`}: ${node.lastRejected.reason}`;
  }
  return null;
}
