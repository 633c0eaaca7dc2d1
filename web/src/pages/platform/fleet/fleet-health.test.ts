// Node health from its last report, and relative times of "last seen".
import { describe, expect, it } from 'vitest';
import { formatAgo, nodeHealth, syncLabel, syncReason } from './fleet-health';

const now = Date.parse('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now - ms).toISOString();

describe('fleet health', () => {
  it('disconnected when the control plane says so, late after two missed heartbeats, else live', () => {
    expect(nodeHealth({ connected: false, lastSeenAt: ago(1000) }, now)).toBe('disconnected');
    expect(nodeHealth({ connected: true, lastSeenAt: ago(5000) }, now)).toBe('live');
    expect(nodeHealth({ connected: true, lastSeenAt: ago(20_000) }, now)).toBe('live');
    expect(nodeHealth({ connected: true, lastSeenAt: ago(25_000) }, now)).toBe('late');
    // A browser clock behind the server's: never worse than live.
    expect(nodeHealth({ connected: true, lastSeenAt: ago(-60_000) }, now)).toBe('live');
  });

  it('relative times', () => {
    expect(formatAgo(null, now, 'en')).toBe('—');
    expect(formatAgo('not a date', now, 'en')).toBe('—');
    expect(formatAgo(ago(2000), now, 'en')).toBe('just now');
    expect(formatAgo(ago(-30_000), now, 'en')).toBe('just now');
    expect(formatAgo(ago(12_000), now, 'en')).toBe('12 seconds ago');
    expect(formatAgo(ago(3 * 60_000 + 5000), now, 'en')).toBe('3 minutes ago');
    expect(formatAgo(ago(2 * 3_600_000), now, 'en')).toBe('2 hours ago');
    expect(formatAgo(ago(86_400_000), now, 'en')).toBe('yesterday');
    expect(formatAgo(ago(3 * 86_400_000), now, 'en')).toBe('3 days ago');
  });
});

describe('sync state', () => {
  it('gives the reason of a rejecting or refused node, none otherwise', () => {
    const lastRejected = { version: 7, reason: 'hash mismatch' };
    expect(syncReason({ syncState: 'REJECTING', lastRejected })).toBe('Rejected v7: hash mismatch');
    expect(syncReason({ syncState: 'REFUSED', refusedReason: 'speaks protocol 1' })).toBe('speaks protocol 1');
    expect(syncReason({ syncState: 'LAGGING', lastRejected: null })).toBeNull();
    expect(syncLabel.REJECTING).not.toBe(syncLabel.LAGGING);
  });
});
