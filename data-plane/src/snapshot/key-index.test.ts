// keysByHash resolves entries on lookup: a change to an org, team or user rewrites no key entry, yet the entries
// seen afterwards embed the changed object.
import { snapshotHash } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { scaleSnapshot } from '../test-support/scale-snapshot.ts';
import { storeOf } from '../test-support/snapshots.ts';
import { applySyncMessage } from './apply.ts';
import { layeredMapStats } from './layered-map.ts';

describe('keysByHash', () => {
  it('suspending an org with 1,000 keys writes one map entry, and its keys see the suspension', () => {
    const from = scaleSnapshot({ orgs: 10, users: 100, keys: 10_000 });
    const store = storeOf(from, 1);
    const [orgId] = Object.keys(from.orgs);
    const to = { ...from, orgs: { ...from.orgs, [orgId]: { ...from.orgs[orgId], status: 'suspended' as const } } };
    const before = layeredMapStats.written;
    const out = applySyncMessage(store, {
      type: 'delta',
      fromVersion: 1,
      version: 2,
      hash: snapshotHash(to),
      upsert: { orgs: { [orgId]: to.orgs[orgId] } },
      remove: {},
    });
    expect(out.kind).toBe('applied');
    if (out.kind !== 'applied') return;
    expect(layeredMapStats.written - before).toBe(1);
    const keysOfOrg = Object.values(from.keys).filter((k) => k.orgId === orgId);
    expect(keysOfOrg.length).toBe(1000);
    for (const k of keysOfOrg) expect(out.store.keysByHash.get(k.hash)?.org.status).toBe('suspended');
    expect(store.keysByHash.get(keysOfOrg[0].hash)?.org.status).toBe('active');
  });

  it('finds a rotated key by both secrets, the replaced one with its grace period', () => {
    const s = scaleSnapshot({ orgs: 1, users: 1, keys: 2 });
    const [id] = Object.keys(s.keys);
    const old = 'f'.repeat(64);
    s.keys[id] = { ...s.keys[id], previous: { hash: old, expiresAt: '2031-01-01T00:00:00.000Z' } };
    const store = storeOf(s, 1);
    expect(store.keysByHash.size).toBe(3);
    expect(store.keysByHash.get(s.keys[id].hash)?.graceEndsAtMs).toBeNull();
    const replaced = store.keysByHash.get(old);
    expect(replaced?.key.id).toBe(id);
    expect(replaced?.graceEndsAtMs).toBe(Date.parse('2031-01-01T00:00:00.000Z'));
    expect([...store.keysByHash.keys()].sort()).toEqual([...Object.values(s.keys).map((k) => k.hash), old].sort());
  });
});
