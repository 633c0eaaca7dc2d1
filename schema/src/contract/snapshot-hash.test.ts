// Hash v2: an additive set hash, independent of order, updatable one resource at a time.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.ts';
import { emptySnapshot, type Snapshot } from './snapshot.ts';
import { resourceDigest, SnapshotHasher, snapshotHash } from './snapshot-hash.ts';
import { applyDelta, diffSnapshots } from './sync.ts';

function sample(): Snapshot {
  const s = emptySnapshot();
  s.orgs.o1 = { id: 'o1', name: 'Acme', status: 'active' };
  s.orgs.o2 = { id: 'o2', name: 'Beta', status: 'suspended', allowedModels: ['m'] };
  s.teams.t1 = { id: 't1', orgId: 'o1', name: 'Core', status: 'active' };
  s.users.u1 = { id: 'u1', orgId: 'o1', teamIds: ['t1'], email: 'a@x.test', status: 'active' };
  return s;
}

describe('snapshot hash v2', () => {
  it('is 64 zeros for an empty snapshot, with absent and empty optional kinds alike', () => {
    expect(snapshotHash(emptySnapshot())).toBe('0'.repeat(64));
    const a = sample();
    const b = { ...sample(), modules: {}, orgModules: {} };
    expect(snapshotHash(b)).toBe(snapshotHash(a));
  });

  it('digests kind, id and canonical JSON as a big-endian integer', () => {
    const org = { status: 'active', id: 'o1', name: 'Acme' } as const;
    const hex = createHash('sha256')
      .update(`orgs\no1\n${canonicalJson(org)}`)
      .digest('hex');
    expect(resourceDigest('orgs', 'o1', org)).toBe(BigInt(`0x${hex}`));
    // The same resource under another kind or id digests differently.
    expect(resourceDigest('teams', 'o1', org)).not.toBe(resourceDigest('orgs', 'o1', org));
    expect(resourceDigest('orgs', 'o2', org)).not.toBe(resourceDigest('orgs', 'o1', org));
  });

  it('is the sum of the digests mod 2^256, in any order', () => {
    const s = sample();
    const entries = Object.entries(s).flatMap(([kind, r]) => Object.entries(r).map(([id, v]) => [kind, id, v]));
    const sum = entries.reduce((acc, [k, id, v]) => acc + resourceDigest(k as 'orgs', id as string, v), 0n);
    expect(snapshotHash(s)).toBe((sum % (1n << 256n)).toString(16).padStart(64, '0'));
    const reversed = new SnapshotHasher();
    for (const [k, id, v] of entries.reverse()) reversed.add(k as 'orgs', id as string, v);
    expect(reversed.hex).toBe(snapshotHash(s));
  });

  it('updates in O(change): remove the old resource, add the new, and round-trip to the start', () => {
    const from = sample();
    const to = sample();
    to.orgs.o1 = { ...to.orgs.o1, name: 'Renamed' };
    delete to.users.u1;
    const h = SnapshotHasher.fromHex(snapshotHash(from));
    h.remove('orgs', 'o1', from.orgs.o1).add('orgs', 'o1', to.orgs.o1);
    h.remove('users', 'u1', from.users.u1);
    expect(h.hex).toBe(snapshotHash(to));
    expect(snapshotHash(applyDelta(from, diffSnapshots(from, to)))).toBe(h.hex);
    const back = h.clone().add('users', 'u1', from.users.u1);
    back.remove('orgs', 'o1', to.orgs.o1).add('orgs', 'o1', from.orgs.o1);
    expect(back.hex).toBe(snapshotHash(from));
    expect(h.hex).toBe(snapshotHash(to));
  });

  it('wraps around 2^256 both ways and refuses a malformed hex', () => {
    const h = new SnapshotHasher().remove('orgs', 'o1', sample().orgs.o1);
    expect(h.hex).toMatch(/^[0-9a-f]{64}$/);
    expect(h.add('orgs', 'o1', sample().orgs.o1).hex).toBe('0'.repeat(64));
    expect(SnapshotHasher.fromHex('f'.repeat(64)).add('orgs', 'o1', sample().orgs.o1).hex).toMatch(/^[0-9a-f]{64}$/);
    expect(() => SnapshotHasher.fromHex('xyz')).toThrow();
  });
});
