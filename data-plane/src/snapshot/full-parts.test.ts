// A full snapshot in parts: taken in part by part, applied only at the last one, refused whole when a part is
// missing, repeated, out of order, oversized, or of another snapshot.
import { fullMessages, type Snapshot, snapshotHash } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { sampleSnapshot, storeOf } from '../test-support/snapshots.ts';
import { type ApplyOutcome, SyncApplier } from './apply.ts';
import { runSteps } from './builder.ts';
import type { SnapshotStore } from './store.ts';

const parts = (version = 4, snapshot: Snapshot = sampleSnapshot(), perPart = 7) =>
  fullMessages(version, snapshotHash(snapshot), snapshot, perPart) as unknown as Record<string, unknown>[];

function feed(messages: unknown[], current: SnapshotStore | null = null): ApplyOutcome[] {
  const applier = new SyncApplier();
  return messages.map((m) => runSteps(applier.apply(current, m)));
}

describe('full snapshot in parts', () => {
  it('takes the parts in and applies the whole at the last one', () => {
    const messages = parts();
    expect(messages.length).toBeGreaterThan(3);
    const outcomes = feed(messages);
    expect(outcomes.slice(0, -1).every((o) => o.kind === 'pending')).toBe(true);
    const last = outcomes.at(-1)!;
    expect(last.kind).toBe('applied');
    if (last.kind !== 'applied') return;
    expect(last.full).toBe(true);
    expect(last.store.version).toBe(4);
    expect(last.store.hash).toBe(snapshotHash(sampleSnapshot()));
    expect(new Map(last.store.keysByHash)).toEqual(new Map(storeOf(sampleSnapshot(), 4).keysByHash));
  });

  it('applies an empty snapshot sent as one empty part', () => {
    const empty = { orgs: {}, teams: {}, users: {}, keys: {}, credentials: {}, models: {} };
    const [only] = feed([{ type: 'full', version: 1, hash: '0'.repeat(64), part: 1, parts: 1, resources: {} }]);
    expect(only).toMatchObject({ kind: 'applied' });
    expect(only.kind === 'applied' && only.store.snapshot).toEqual(empty);
  });

  const broken: [string, (m: Record<string, unknown>[]) => unknown[], string][] = [
    ['a missing part', (m) => [m[0], m[2], ...m.slice(3)], 'arrived where part 2 was expected'],
    ['parts out of order', (m) => [m[0], m[2], m[1], ...m.slice(3)], 'arrived where part 2 was expected'],
    ['a repeated part', (m) => [m[0], m[1], m[1], ...m.slice(2)], 'arrived where part 3 was expected'],
    ['no part 1', (m) => m.slice(1), 'arrived without its part 1'],
    ['a part of another version', (m) => [m[0], { ...m[1], version: 5 }, ...m.slice(2)], 'does not belong'],
    ['a part with another hash', (m) => [m[0], { ...m[1], hash: 'e'.repeat(64) }, ...m.slice(2)], 'does not belong'],
    ['a part with another count', (m) => [m[0], { ...m[1], parts: 99 }, ...m.slice(2)], 'does not belong'],
    [
      'a resource sent twice',
      (m) => [m[0], { ...m[1], resources: { ...(m[1].resources as object), ...(m[0].resources as object) } }],
      'sent twice',
    ],
    ['a malformed resource', (m) => [m[0], { ...m[1], resources: { orgs: { x: { id: 'x' } } } }], 'resources.orgs.x'],
    [
      'a delta before the last part',
      (m) => [m[0], { type: 'delta', fromVersion: 1, version: 2, hash: 'a'.repeat(64), upsert: {}, remove: {} }],
      'unfinished full snapshot',
    ],
    ['a wrong announced hash', (m) => m.map((p) => ({ ...p, hash: 'f'.repeat(64) })), 'hash mismatch'],
  ];

  it.each(broken)('refuses the whole snapshot on %s', (_name, alter, reason) => {
    const outcomes = feed(alter(parts()));
    const rejected = outcomes.find((o) => o.kind === 'rejected');
    expect(rejected && rejected.kind === 'rejected' && rejected.reason).toContain(reason);
    expect(outcomes.some((o) => o.kind === 'applied')).toBe(false);
  });

  it('refuses a part of more than 2,000 resources', () => {
    const s = sampleSnapshot();
    for (let i = 0; i < 2001; i++) s.orgs[`o${i}`] = { id: `o${i}`, name: 'x', status: 'active' };
    const [first] = fullMessages(1, snapshotHash(s), s, 5000);
    const [out] = feed([first]);
    expect(out.kind === 'rejected' && out.reason).toContain('at most 2000');
  });

  it('refuses an inconsistent whole, naming the problem, and reports the version and hash refused', () => {
    const s = sampleSnapshot();
    s.keys['key-good'].teamId = 'ghost';
    const outcomes = feed(parts(6, s));
    const last = outcomes.at(-1)!;
    expect(last).toMatchObject({ kind: 'rejected', version: 6, hash: snapshotHash(s) });
    expect(last.kind === 'rejected' && last.reason).toContain('unknown team ghost');
  });

  it('starts over at a new part 1, and keeps removed key hashes of the store it replaces', () => {
    const current = storeOf(sampleSnapshot(), 3);
    const next = sampleSnapshot();
    const goneHash = next.keys['key-good'].hash;
    delete next.keys['key-good'];
    const first = parts(4, sampleSnapshot());
    const outcomes = feed([first[0], first[1], ...parts(5, next)], current);
    const last = outcomes.at(-1)!;
    expect(last.kind).toBe('applied');
    expect(last.kind === 'applied' && last.store.removedKeyHashes.has(goneHash)).toBe(true);
    expect(current.keysByHash.has(goneHash)).toBe(true);
  });
});
