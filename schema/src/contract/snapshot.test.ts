// Snapshot consistency: key owners and modules must exist and agree; secret hashes are unique; optional kinds.
import { describe, expect, it } from 'vitest';
import { snapshotProblems } from './consistency.ts';
import { emptySnapshot, type Snapshot, snapshotSchema } from './snapshot.ts';
import { snapshotHash } from './snapshot-hash.ts';
import { applyDelta, diffSnapshots } from './sync.ts';

const hash = (c: string) => c.repeat(64);

function sample(): Snapshot {
  const s = emptySnapshot();
  s.orgs.o1 = { id: 'o1', name: 'Acme', status: 'active' };
  s.orgs.o2 = { id: 'o2', name: 'Other', status: 'active' };
  s.teams.t1 = { id: 't1', orgId: 'o1', name: 'Core', status: 'active' };
  s.teams.t2 = { id: 't2', orgId: 'o1', name: 'Ops', status: 'active' };
  s.teams.tx = { id: 'tx', orgId: 'o2', name: 'Theirs', status: 'active' };
  s.users.u1 = { id: 'u1', orgId: 'o1', teamIds: ['t1'], email: 'a@acme.test', status: 'active' };
  s.modules = { m1: { id: 'm1', key: 'chat', status: 'active' } };
  s.orgModules = { e1: { id: 'e1', orgId: 'o1', moduleId: 'm1', allowedModels: null } };
  const key = { prefix: 'sk-gw-x', orgId: 'o1', allowedModels: null, expiresAt: null };
  s.keys.byUser = { ...key, id: 'byUser', hash: hash('a'), userId: 'u1', teamId: 't1', moduleId: 'm1' };
  s.keys.byTeam = {
    ...key,
    id: 'byTeam',
    hash: hash('b'),
    userId: null,
    teamId: 't2',
    previous: { hash: hash('c'), expiresAt: '2030-01-01T00:00:00.000Z' },
  };
  return s;
}

describe('snapshot consistency', () => {
  it('accepts user- and team-owned keys, a module binding and a rotated secret', () => {
    const s = sample();
    expect(snapshotSchema.safeParse(s).success).toBe(true);
    expect(snapshotProblems(s)).toEqual([]);
  });

  it('names every broken owner, module and duplicate hash', () => {
    const s = sample();
    const { previous: _p, ...plain } = s.keys.byTeam;
    s.keys.noOwner = { ...plain, id: 'noOwner', hash: hash('d'), teamId: null };
    s.keys.foreignTeam = { ...plain, id: 'foreignTeam', hash: hash('e'), teamId: 'tx' };
    s.keys.notMember = { ...s.keys.byUser, id: 'notMember', hash: hash('f'), teamId: 't2' };
    s.keys.noModule = { ...s.keys.byUser, id: 'noModule', hash: hash('1'), moduleId: 'gone' };
    s.keys.reused = { ...s.keys.byUser, id: 'reused', hash: hash('c') };
    s.modules!.m2 = { id: 'm2', key: 'chat', status: 'active' };
    s.orgModules!.e2 = { id: 'e2', orgId: 'o1', moduleId: 'm1', allowedModels: ['x'] };
    s.orgModules!.e3 = { id: 'e3', orgId: 'nope', moduleId: 'zz', allowedModels: null };
    expect(snapshotProblems(s)).toEqual([
      'keys.noOwner: no owner (userId or teamId)',
      'keys.foreignTeam: team tx is in another org',
      'keys.notMember: team t2 is not a team of user u1',
      'keys.noModule: unknown module gone',
      'keys.reused: secret hash also used by keys.byTeam',
      'modules.m2: duplicate key chat',
      'orgModules.e2: module m1 enabled twice for o1',
      'orgModules.e3: unknown org nope',
      'orgModules.e3: unknown module zz',
    ]);
  });

  it('reads snapshots persisted before modules existed (no modules, no key moduleId/previous)', () => {
    const old = sample();
    delete old.modules;
    delete old.orgModules;
    for (const k of Object.values(old.keys)) {
      delete k.moduleId;
      delete k.previous;
    }
    expect(snapshotSchema.safeParse(old).success).toBe(true);
    expect(snapshotProblems(old)).toEqual([]);
    // A delta from such a snapshot to a current one adds the new kinds, and applies to the same hash.
    const next = sample();
    const delta = diffSnapshots(old, next);
    expect(Object.keys(delta.upsert.modules ?? {})).toEqual(['m1']);
    expect(snapshotHash(applyDelta(old, delta))).toBe(snapshotHash(next));
    // ...and removing the last module and enablement drops the kinds again, as the control plane builds it.
    const back = diffSnapshots(next, old);
    const applied = applyDelta(next, back);
    expect('modules' in applied || 'orgModules' in applied).toBe(false);
    expect(snapshotHash(applied)).toBe(snapshotHash(old));
  });
});
