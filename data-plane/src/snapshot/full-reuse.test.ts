// A full snapshot applied over an existing store (a resync) shares what did not change with it: the resources
// received equal to the store's are dropped for the store's own objects, so a resync does not hold two copies of a
// 100k-key config.
import { fullMessages, type Snapshot, snapshotHash } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { sampleSnapshot, storeOf } from '../test-support/snapshots.ts';
import { SyncApplier } from './apply.ts';
import { runSteps } from './builder.ts';
import { SnapshotStore } from './store.ts';
import { youngGenerationHeld } from './young-generation.ts';

function resync(current: SnapshotStore, s: Snapshot, version = 9, hash = snapshotHash(s)): SnapshotStore {
  const applier = new SyncApplier();
  let store: SnapshotStore | null = null;
  for (const m of fullMessages(version, hash, s, 3)) {
    const out = runSteps(applier.apply(current, JSON.parse(JSON.stringify(m))));
    if (out.kind === 'applied') store = out.store;
    else if (out.kind === 'rejected') throw new Error(out.reason);
  }
  if (!store) throw new Error('not applied');
  return store;
}

describe('full snapshot over an existing store', () => {
  it('reuses every unchanged resource', () => {
    const current = storeOf(sampleSnapshot(), 3);
    const next = resync(current, sampleSnapshot());
    for (const kind of ['orgs', 'teams', 'users', 'keys', 'credentials', 'models'] as const) {
      for (const [id, r] of current.parts.byId[kind]) expect(next.parts.byId[kind].get(id)).toBe(r);
    }
    expect(next.keysByHash.size).toBe(current.keysByHash.size);
    for (const [hash, key] of current.parts.keyByHash) expect(next.parts.keyByHash.get(hash)).toBe(key);
    expect(next.version).toBe(9);
  });

  it('takes a changed resource as received, and the key entries see it', () => {
    const s = sampleSnapshot();
    const current = storeOf(s, 3);
    const changed = sampleSnapshot();
    const [orgId] = Object.keys(changed.orgs);
    changed.orgs[orgId] = { ...changed.orgs[orgId], name: 'renamed' };
    const next = resync(current, changed);
    expect(next.orgs.get(orgId)).not.toBe(current.orgs.get(orgId));
    expect(next.orgs.get(orgId)?.name).toBe('renamed');
    for (const [hash, entry] of next.keysByHash) {
      if (entry.key.orgId !== orgId) continue;
      expect(entry.org.name).toBe('renamed');
      expect(current.keysByHash.get(hash)?.org.name).not.toBe('renamed');
    }
    // Untouched teams are still shared.
    for (const [id, team] of current.teams) if (team.orgId !== orgId) expect(next.teams.get(id)).toBe(team);
  });

  it('holds the young generation small while the parts arrive, and lets go at the end', () => {
    const s = sampleSnapshot();
    const applier = new SyncApplier();
    const messages = fullMessages(2, snapshotHash(s), s, 3);
    expect(messages.length).toBeGreaterThan(1);
    runSteps(applier.apply(null, messages[0]));
    expect(youngGenerationHeld()).toBe(true);
    for (const m of messages.slice(1)) runSteps(applier.apply(null, m));
    expect(youngGenerationHeld()).toBe(false);
  });

  // The hash is updated from the replaced store's: only what differs from it is digested.
  function changedSnapshot(): Snapshot {
    const changed = sampleSnapshot();
    const [orgId] = Object.keys(changed.orgs);
    changed.orgs[orgId] = { ...changed.orgs[orgId], name: 'renamed' };
    const [gone, kept] = Object.keys(changed.keys);
    delete changed.keys[gone];
    const { previous: _previous, ...base } = changed.keys[kept];
    changed.keys.added = { ...base, id: 'added', hash: 'c'.repeat(64) };
    return changed;
  }

  it('arrives at the hash of a snapshot with changed, added and removed resources', () => {
    const changed = changedSnapshot();
    const next = resync(storeOf(sampleSnapshot(), 3), changed);
    expect(next.hash).toBe(snapshotHash(changed));
    expect(next.keysByHash.has('c'.repeat(64))).toBe(true);
  });

  it('refuses a resync announcing a hash its resources do not give, though most of them are reused', () => {
    const current = storeOf(sampleSnapshot(), 3);
    expect(() => resync(current, changedSnapshot(), 9, snapshotHash(sampleSnapshot()))).toThrow(/hash mismatch/);
  });

  it("sums the hash anew when the replaced store's own hash was wrong, rather than refusing every resync", () => {
    const s = sampleSnapshot();
    const wrong = new SnapshotStore(s, { version: 3, hash: 'a'.repeat(64), source: 'control-plane' });
    const changed = changedSnapshot();
    expect(resync(wrong, changed).hash).toBe(snapshotHash(changed));
  });
});
