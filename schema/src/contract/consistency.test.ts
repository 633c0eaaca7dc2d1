// Per-resource consistency rules: what a data plane checks on a delta without looking at the whole snapshot.
import { describe, expect, it } from 'vitest';
import { references, resourceProblems, type SnapshotLookup, uniqueClaims } from './consistency.ts';
import { emptySnapshot, type Snapshot } from './snapshot.ts';

function sample(): Snapshot {
  const s = emptySnapshot();
  s.orgs.o1 = { id: 'o1', name: 'Acme', status: 'active' };
  s.teams.t1 = { id: 't1', orgId: 'o1', name: 'Core', status: 'active' };
  s.users.u1 = { id: 'u1', orgId: 'o1', teamIds: ['t1'], email: 'a@x.test', status: 'active' };
  s.credentials.c1 = { id: 'c1', provider: 'openai', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'sk' };
  s.models.m1 = {
    id: 'm1',
    name: 'gpt',
    deployments: [{ credentialId: 'c1', upstreamModel: 'gpt', weight: 1 }],
    prices: { inputPerMTok: 1, outputPerMTok: 1, cachedInputPerMTok: 1 },
  };
  s.modules = { md: { id: 'md', key: 'chat', status: 'active' } };
  s.orgModules = { e1: { id: 'e1', orgId: 'o1', moduleId: 'md', allowedModels: null } };
  s.keys.k1 = {
    id: 'k1',
    hash: 'a'.repeat(64),
    prefix: 'sk-gw',
    orgId: 'o1',
    teamId: 't1',
    userId: 'u1',
    allowedModels: null,
    expiresAt: null,
    moduleId: 'md',
    previous: { hash: 'b'.repeat(64), expiresAt: '2030-01-01T00:00:00.000Z' },
  };
  return s;
}

/** A lookup over a snapshot where claims belong to whoever `owners` names. */
function lookupOf(s: Snapshot, owners: Record<string, string> = {}): SnapshotLookup {
  return {
    get: (kind, id) => (s[kind] as Record<string, never> | undefined)?.[id],
    claimOwner: (kind, claim) => owners[`${kind} ${claim}`],
  };
}

describe('per-resource consistency helpers', () => {
  it('lists the references of each kind', () => {
    const s = sample();
    expect(references('keys', s.keys.k1)).toEqual([
      ['orgs', 'o1'],
      ['teams', 't1'],
      ['users', 'u1'],
      ['modules', 'md'],
    ]);
    expect(references('models', s.models.m1)).toEqual([['credentials', 'c1']]);
    expect(references('orgModules', s.orgModules!.e1)).toEqual([
      ['orgs', 'o1'],
      ['modules', 'md'],
    ]);
    expect(references('users', s.users.u1)).toEqual([['orgs', 'o1']]);
    expect(references('orgs', s.orgs.o1)).toEqual([]);
    expect(uniqueClaims('keys', s.keys.k1)).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    expect(uniqueClaims('orgModules', s.orgModules!.e1)).toEqual(['o1 md']);
  });

  it('reports dangling references and claims owned by another resource', () => {
    const s = sample();
    const owners = {
      [`keys ${'a'.repeat(64)}`]: 'k1',
      [`keys ${'b'.repeat(64)}`]: 'k9',
      'models gpt': 'm2',
      'modules chat': 'md',
      'orgModules o1 md': 'e1',
    };
    const lookup = lookupOf(s, owners);
    delete s.teams.t1;
    delete s.credentials.c1;
    expect(resourceProblems('keys', 'k1', s.keys.k1, lookup)).toEqual([
      'keys.k1: unknown team t1',
      `keys.k1: secret hash also used by keys.k9`,
    ]);
    expect(resourceProblems('models', 'm1', s.models.m1, lookup)).toEqual([
      'models.m1: duplicate name gpt',
      'models.m1: unknown credential c1',
    ]);
    expect(resourceProblems('orgModules', 'e1', s.orgModules!.e1, lookup)).toEqual([]);
    expect(resourceProblems('teams', 'tz', { id: 'tz', orgId: 'nope', name: 'x', status: 'active' }, lookup)).toEqual([
      'teams.tz: unknown org nope',
    ]);
  });
});
