// Deltas applied in place of a rebuild: the store a delta yields equals the store built from scratch from the
// resulting snapshot, every kind of dangling reference is caught without a full pass, and the work does not grow
// with the snapshot.
import { diffSnapshots, type Snapshot, snapshotHash } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { hashApiKey } from '../policy/authenticate.ts';
import { scaleSnapshot } from '../test-support/scale-snapshot.ts';
import { sampleSnapshot, storeOf } from '../test-support/snapshots.ts';
import { applySyncMessage } from './apply.ts';
import { layeredMapStats } from './layered-map.ts';
import type { SnapshotStore } from './store.ts';

type Mutation = (s: Snapshot) => void;

function deltaMessage(from: Snapshot, to: Snapshot, fromVersion = 1) {
  return { type: 'delta', fromVersion, version: fromVersion + 1, hash: snapshotHash(to), ...diffSnapshots(from, to) };
}

/** Everything the request path can read, as plain comparable values. */
function view(store: SnapshotStore) {
  return {
    hash: store.hash,
    orgs: new Map(store.orgs),
    teams: new Map(store.teams),
    users: new Map(store.users),
    credentials: new Map(store.credentials),
    keysByHash: new Map(store.keysByHash),
    modelsByName: new Map(store.modelsByName),
    modulesByKey: new Map(store.modulesByKey),
    orgModules: new Map([...store.orgModules].map(([org, m]) => [org, new Map(m)])),
    removedKeyHashes: new Set(store.removedKeyHashes),
    limitsByScope: new Map(store.limitsByScope),
    limitOrgs: new Map(store.limitOrgs),
    hasLimits: store.hasLimits,
    hasRateLimits: store.hasRateLimits,
    snapshot: store.snapshot,
  };
}

const newKey = (id: string, secret: string, extra: Partial<Snapshot['keys'][string]> = {}) => ({
  id,
  hash: hashApiKey(secret),
  prefix: 'sk-gw-new',
  orgId: 'org-1',
  teamId: 'team-1',
  userId: 'user-1',
  allowedModels: null,
  expiresAt: null,
  ...extra,
});

const limit = (
  id: string,
  scope: NonNullable<Snapshot['limits']>[string]['scope'],
  scopeId: string,
  extra: Partial<NonNullable<Snapshot['limits']>[string]> = {},
): NonNullable<Snapshot['limits']>[string] => ({ id, orgId: 'org-1', scope, scopeId, budgets: {}, ...extra });

/** Budgets and rate limits on several scopes of org-1. */
const addLimits: Mutation = (s) => {
  s.limits = {
    'lim-org': limit('lim-org', 'org', 'org-1', { budgets: { monthly: 10_000_000_000 } }),
    'lim-team': limit('lim-team', 'team', 'team-1', { budgets: { daily: 1_000_000_000, total: 50_000_000_000 } }),
    'lim-key': limit('lim-key', 'key', 'key-good', { rpm: 60, tpm: 10_000 }),
    'lim-mod': limit('lim-mod', 'module', 'mod-chat', { budgets: { weekly: 5_000_000_000 } }),
  };
};

const cases: [string, Mutation][] = [
  ['revoke a key', (s) => delete s.keys['key-good']],
  [
    'rotate a key',
    (s) => {
      s.keys['key-good'] = {
        ...newKey('key-good', 'sk-gw-new-secret'),
        previous: { hash: s.keys['key-good'].hash, expiresAt: '2031-01-01T00:00:00.000Z' },
      };
    },
  ],
  ['suspend an org (its keys see it)', (s) => (s.orgs['org-1'].status = 'suspended')],
  ['restrict an org to some models', (s) => (s.orgs['org-1'].allowedModels = ['gpt-test'])],
  [
    'rename a team, suspend a user',
    (s) => {
      s.teams['team-1'].name = 'Renamed';
      s.users['user-1'].status = 'suspended';
    },
  ],
  [
    'move a user to a new team with its keys',
    (s) => {
      s.teams['team-9'] = { id: 'team-9', orgId: 'org-1', name: 'New', status: 'active' };
      s.users['user-1'].teamIds = ['team-9'];
      for (const k of Object.values(s.keys)) if (k.userId === 'user-1') k.teamId = 'team-9';
    },
  ],
  [
    'add a model on a new credential',
    (s) => {
      s.credentials['cred-2'] = { id: 'cred-2', provider: 'openai', baseUrl: 'http://127.0.0.1:2/v1', apiKey: 'sk-2' };
      s.models['m-new'] = {
        ...s.models['m-1'],
        id: 'm-new',
        name: 'new-model',
        deployments: [{ credentialId: 'cred-2', upstreamModel: 'u', weight: 2 }],
      };
    },
  ],
  ['rotate a credential (every model on it sees it)', (s) => (s.credentials['cred-1'].apiKey = 'sk-rotated')],
  [
    'remove a model, rename another',
    (s) => {
      delete s.models['m-2'];
      s.models['m-1'].name = 'gpt-renamed';
    },
  ],
  [
    "swap two models' names",
    (s) => {
      s.models['m-1'].name = 'other-model';
      s.models['m-2'].name = 'gpt-test';
    },
  ],
  [
    "rename a module's key and suspend it",
    (s) => {
      s.modules!['mod-chat'] = { id: 'mod-chat', key: 'chat-2', status: 'suspended' };
    },
  ],
  [
    'disable a module for an org, narrow another',
    (s) => {
      delete s.orgModules!['om-frozen'];
      s.orgModules!['om-chat'].allowedModels = ['gpt-test'];
    },
  ],
  [
    'enable a new module and bind a new key to it',
    (s) => {
      s.modules!['mod-new'] = { id: 'mod-new', key: 'new', status: 'active' };
      s.orgModules!['om-new'] = { id: 'om-new', orgId: 'org-1', moduleId: 'mod-new', allowedModels: null };
      s.keys['key-new'] = newKey('key-new', 'sk-gw-brand-new', { moduleId: 'mod-new' });
    },
  ],
  [
    'delete an org with everything in it',
    (s) => {
      delete s.orgs['org-2'];
      delete s.teams['team-3'];
      delete s.keys['key-org'];
      delete s.orgModules!['om-elsewhere'];
    },
  ],
  [
    'drop every module (the optional kinds go away)',
    (s) => {
      delete s.modules;
      delete s.orgModules;
      for (const k of Object.values(s.keys)) delete k.moduleId;
    },
  ],
  ['set budgets and rate limits on an org, a team, a key and a module', addLimits],
  [
    'change limits: one moves to another scope, another takes its scope, one goes',
    (s) => {
      addLimits(s);
      const limits = s.limits!;
      limits['lim-key'] = limit('lim-key', 'user', 'user-1', { rpm: 5 });
      limits['lim-key-2'] = limit('lim-key-2', 'key', 'key-good', { tpm: 99 });
      delete limits['lim-mod'];
      limits['lim-team'].budgets = { daily: 2 };
    },
  ],
  [
    "give a revoked key's secret to a new key",
    (s) => {
      const hash = s.keys['key-good'].hash;
      delete s.keys['key-good'];
      s.keys['key-heir'] = { ...newKey('key-heir', 'x'), hash };
    },
  ],
];

describe('a delta updates the store in place of a rebuild', () => {
  it.each(cases)('%s: the result equals a store built from the resulting snapshot', (_name, mutate) => {
    const to = sampleSnapshot();
    mutate(to);
    const before = storeOf(sampleSnapshot(), 1);
    const out = applySyncMessage(before, deltaMessage(sampleSnapshot(), to));
    expect(out.kind === 'rejected' ? out.reason : out.kind).toBe('applied');
    if (out.kind !== 'applied') return;
    const scratch = storeOf(to, 2, storeOf(sampleSnapshot(), 1));
    expect(view(out.store)).toEqual(view(scratch));
    // The store before is untouched: requests holding it keep their view.
    expect(view(before)).toEqual(view(storeOf(sampleSnapshot(), 1)));
  });

  it('applies a chain of deltas, each on the store the one before produced', () => {
    let store = storeOf(sampleSnapshot(), 1);
    let snapshot = sampleSnapshot();
    // Each delta undoes the case before and makes the next one: bigger deltas, every kind in both directions.
    for (const [i, [, mutate]] of cases.entries()) {
      const to = sampleSnapshot();
      mutate(to);
      const out = applySyncMessage(store, deltaMessage(snapshot, to, i + 1));
      expect(out.kind === 'rejected' ? out.reason : out.kind).toBe('applied');
      if (out.kind !== 'applied') return;
      store = out.store;
      snapshot = to;
    }
    expect(view(store)).toMatchObject({ hash: snapshotHash(snapshot), snapshot });
  });
});

const rejections: [string, Mutation, string][] = [
  ['an org teams still belong to', (s) => delete s.orgs['org-1'], 'teams.team-1: unknown org org-1'],
  ['a team a key still belongs to', (s) => delete s.teams['team-2'], 'keys.key-team: unknown team team-2'],
  ['a user a key still belongs to', (s) => delete s.users['user-2'], 'keys.key-user: unknown user user-2'],
  [
    'a module a key is bound to',
    (s) => {
      delete s.modules!['mod-chat'];
      delete s.orgModules!['om-chat'];
    },
    'keys.key-chat: unknown module mod-chat',
  ],
  [
    'a module an org enables',
    (s) => delete s.modules!['mod-frozen'],
    'orgModules.om-frozen: unknown module mod-frozen',
  ],
  ['a credential a model uses', (s) => delete s.credentials['cred-1'], 'models.m-1: unknown credential cred-1'],
  [
    'an org and team a key still names',
    (s) => {
      delete s.orgs['org-2'];
      delete s.teams['team-3'];
      delete s.orgModules!['om-elsewhere'];
    },
    'keys.key-org: unknown org org-2',
  ],
  [
    'a new key of an unknown team',
    (s) => (s.keys['key-x'] = newKey('key-x', 'x', { teamId: 'ghost' })),
    'keys.key-x: unknown team ghost',
  ],
  [
    'a team moved to another org under its keys',
    (s) => (s.teams['team-2'].orgId = 'org-2'),
    'keys.key-team: team team-2 is in another org',
  ],
  [
    'a user leaving the team its keys name',
    (s) => (s.users['user-2'].teamIds = []),
    'keys.key-user: team team-1 is not a team of user user-2',
  ],
  [
    'a second key with a used secret',
    (s) => (s.keys['key-x'] = { ...newKey('key-x', 'x'), hash: s.keys['key-limited'].hash }),
    'keys.key-x: secret hash also used by keys.key-limited',
  ],
  [
    "a key reusing a rotated key's previous secret",
    (s) =>
      (s.keys['key-x'] = { ...newKey('key-x', 'x'), hash: hashApiKey('sk-gw-rotatedold0000000000000000000000000000') }),
    'keys.key-x: secret hash also used by keys.key-rotated',
  ],
  ['a model named like another', (s) => (s.models['m-2'].name = 'gpt-test'), 'models.m-2: duplicate name gpt-test'],
  [
    'a module keyed like another',
    (s) => (s.modules!['mod-search'].key = 'chat'),
    'modules.mod-search: duplicate key chat',
  ],
  [
    'a module enabled twice for an org',
    (s) => (s.orgModules!['om-x'] = { id: 'om-x', orgId: 'org-1', moduleId: 'mod-chat', allowedModels: null }),
    'orgModules.om-x: module mod-chat enabled twice for org-1',
  ],
  [
    'a second limit on the same scope',
    (s) => {
      addLimits(s);
      s.limits!['lim-x'] = limit('lim-x', 'team', 'team-1', { rpm: 1 });
    },
    'limits.lim-x: a second entry for team team-1',
  ],
  [
    'a resource whose id field disagrees',
    (s) => (s.orgs['org-3'] = { id: 'org-4', name: 'x', status: 'active' }),
    'orgs.org-3: id field is org-4',
  ],
];

describe('a delta is checked in O(change)', () => {
  it.each(rejections)('rejects removing or upserting %s', (_name, mutate, problem) => {
    const to = sampleSnapshot();
    mutate(to);
    const before = storeOf(sampleSnapshot(), 1);
    const out = applySyncMessage(before, deltaMessage(sampleSnapshot(), to));
    expect(out.kind).toBe('rejected');
    expect(out.kind === 'rejected' && out.reason).toContain(problem);
    // The store stays usable: a good delta still applies to it afterwards.
    const good = sampleSnapshot();
    good.orgs['org-1'].name = 'Still fine';
    expect(applySyncMessage(before, deltaMessage(sampleSnapshot(), good)).kind).toBe('applied');
  });

  it('touches as many entries on a 100,000-key store as on a 1,000-key one', () => {
    const written = (size: Parameters<typeof scaleSnapshot>[0]) => {
      const from = scaleSnapshot(size);
      const store = storeOf(from, 1);
      const [first, second] = Object.keys(from.keys);
      const to = { ...from, keys: { ...from.keys } };
      delete to.keys[first];
      to.keys[second] = { ...to.keys[second], allowedModels: ['gpt-b'] };
      const before = layeredMapStats.written;
      const delta = {
        type: 'delta',
        fromVersion: 1,
        version: 2,
        hash: snapshotHash(to),
        upsert: { keys: { [second]: to.keys[second] } },
        remove: { keys: [first] },
      };
      const out = applySyncMessage(store, delta);
      expect(out.kind).toBe('applied');
      if (out.kind === 'applied') {
        expect(out.store.keysByHash.has(from.keys[first].hash)).toBe(false);
        expect(out.store.keysByHash.get(to.keys[second].hash)?.allowedModels).toEqual(new Set(['gpt-b']));
        expect(out.store.removedKeyHashes.has(from.keys[first].hash)).toBe(true);
      }
      return layeredMapStats.written - before;
    };
    const large = written({ orgs: 1000, users: 10_000, keys: 100_000 });
    const small = written({ orgs: 10, users: 100, keys: 1000 });
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(5);
  }, 120_000);
});
