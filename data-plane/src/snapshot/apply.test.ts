// Sync-message apply rules: verify before swapping, keep the last good store on any bad message.
import { diffSnapshots, snapshotHash } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { sampleSnapshot, storeOf } from '../test-support/snapshots.ts';
import { applySyncMessage } from './apply.ts';

function full(version = 1, snapshot = sampleSnapshot()) {
  return { type: 'full', version, hash: snapshotHash(snapshot), part: 1, parts: 1, resources: snapshot };
}

function deltaTo(fromVersion: number, version: number, mutate: (s: ReturnType<typeof sampleSnapshot>) => void) {
  const from = sampleSnapshot();
  const to = sampleSnapshot();
  mutate(to);
  return { type: 'delta', fromVersion, version, hash: snapshotHash(to), ...diffSnapshots(from, to) };
}

describe('applySyncMessage', () => {
  it('applies a verified full snapshot and builds the indexes', () => {
    const out = applySyncMessage(null, full(3));
    expect(out.kind).toBe('applied');
    if (out.kind !== 'applied') return;
    expect(out.store.version).toBe(3);
    expect(out.store.modelsByName.get('gpt-test')?.deployments[0].credential.id).toBe('cred-1');
    // Ten keys, two of them rotated: each rotated key is found by its current and its previous secret.
    expect(out.store.keysByHash.size).toBe(12);
    expect(Object.isFrozen(out.store.snapshot.orgs['org-1'])).toBe(true);
  });

  it('rejects malformed messages, hash mismatches and inconsistent snapshots (resync)', () => {
    expect(applySyncMessage(null, { type: 'full', version: 1 })).toMatchObject({ kind: 'rejected', resync: true });
    expect(applySyncMessage(null, { ...full(), hash: 'f'.repeat(64) })).toMatchObject({
      kind: 'rejected',
      resync: true,
    });
    const dangling = sampleSnapshot();
    dangling.keys['key-good'].teamId = 'ghost';
    const out = applySyncMessage(null, full(1, dangling));
    expect(out).toMatchObject({ kind: 'rejected', resync: true });
    expect(out.kind === 'rejected' && out.reason).toContain('unknown team ghost');
  });

  it('applies a delta to the matching version and checks the resulting hash', () => {
    const current = storeOf(sampleSnapshot(), 1);
    const msg = deltaTo(1, 2, (s) => {
      s.orgs['org-1'].status = 'suspended';
      delete s.keys['key-limited'];
    });
    const out = applySyncMessage(current, msg);
    expect(out.kind).toBe('applied');
    if (out.kind !== 'applied') return;
    expect(out.full).toBe(false);
    expect(out.store.version).toBe(2);
    expect(out.store.orgs.get('org-1')?.status).toBe('suspended');
    expect(out.store.keysByHash.size).toBe(11);
    // The old store is untouched: requests in flight keep their view.
    expect(current.orgs.get('org-1')?.status).toBe('active');
  });

  it('rejects a delta whose fromVersion is not ours, or that arrives before any full', () => {
    const current = storeOf(sampleSnapshot(), 5);
    expect(
      applySyncMessage(
        current,
        deltaTo(4, 6, () => {}),
      ),
    ).toMatchObject({ kind: 'rejected', resync: true });
    expect(
      applySyncMessage(
        null,
        deltaTo(0, 1, () => {}),
      ),
    ).toMatchObject({ kind: 'rejected', resync: true });
  });

  it('rejects a delta whose result does not hash to the announced hash', () => {
    const current = storeOf(sampleSnapshot(), 1);
    const msg = { ...deltaTo(1, 2, (s) => (s.orgs['org-1'].name = 'Renamed')), hash: 'a'.repeat(64) };
    const out = applySyncMessage(current, msg);
    expect(out).toMatchObject({ kind: 'rejected', resync: true });
    expect(out.kind === 'rejected' && out.reason).toContain('hash mismatch');
  });

  it('rejects a delta that would leave dangling references', () => {
    const current = storeOf(sampleSnapshot(), 1);
    const msg = {
      type: 'delta',
      fromVersion: 1,
      version: 2,
      hash: 'b'.repeat(64),
      upsert: {},
      remove: { orgs: ['org-2'] },
    };
    const out = applySyncMessage(current, msg);
    expect(out.kind === 'rejected' && out.reason).toContain('unknown org org-2');
  });

  it('still applies an older full snapshot (the database is the source of truth) but flags it', () => {
    const current = storeOf(sampleSnapshot(), 9);
    expect(applySyncMessage(current, full(4))).toMatchObject({ kind: 'applied', downgrade: true });
  });
});
