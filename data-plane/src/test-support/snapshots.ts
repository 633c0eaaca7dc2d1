// Builds consistent test snapshots (and the secrets of their keys) without a control plane.
import { readFile } from 'node:fs/promises';
import { type Snapshot, snapshotHash } from '@gw/schema';
import { hashApiKey } from '../policy/authenticate.ts';
import { SnapshotStore } from '../snapshot/store.ts';

export const secrets = {
  good: 'sk-gw-good0000000000000000000000000000000000',
  limited: 'sk-gw-limited00000000000000000000000000000000',
  expired: 'sk-gw-expired00000000000000000000000000000000',
  suspendedOrg: 'sk-gw-suspendedorg000000000000000000000000000',
  suspendedTeam: 'sk-gw-suspendedteam00000000000000000000000000',
  suspendedUser: 'sk-gw-suspendeduser00000000000000000000000000',
  /** Bound to the module "chat". */
  chat: 'sk-gw-chat00000000000000000000000000000000000',
  /** Bound to "document-analysis", which org-1 may use with gpt-test only. */
  docs: 'sk-gw-docs00000000000000000000000000000000000',
  /** Rotated: `rotated` is current, `rotatedOld` is accepted until 2030 (grace), `rotatedLapsed` was until 2020. */
  rotated: 'sk-gw-rotated00000000000000000000000000000000',
  rotatedOld: 'sk-gw-rotatedold0000000000000000000000000000',
  lapsed: 'sk-gw-lapsed000000000000000000000000000000000',
  lapsedOld: 'sk-gw-lapsedold00000000000000000000000000000',
} as const;

export const providerApiKey = 'sk-provider-secret-123';

function key(id: string, secret: string, extra: Partial<Snapshot['keys'][string]> = {}): Snapshot['keys'][string] {
  return {
    id,
    hash: hashApiKey(secret),
    prefix: secret.slice(0, 12),
    orgId: 'org-1',
    teamId: 'team-1',
    userId: 'user-1',
    allowedModels: null,
    expiresAt: null,
    ...extra,
  };
}

/**
 * One org with keys in every state, one credential at `baseUrl`, and models whose upstream names
 * carry fake-upstream directives (see fake-upstream.ts).
 */
export function sampleSnapshot(baseUrl = 'http://127.0.0.1:9/v1'): Snapshot {
  const prices = { inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: 0.5 };
  const model = (id: string, name: string, upstreamModel: string): Snapshot['models'][string] => ({
    id,
    name,
    deployments: [{ credentialId: 'cred-1', upstreamModel, weight: 1 }],
    prices,
  });
  return {
    orgs: {
      'org-1': { id: 'org-1', name: 'Acme', status: 'active' },
      'org-2': { id: 'org-2', name: 'Frozen', status: 'suspended' },
    },
    teams: {
      'team-1': { id: 'team-1', orgId: 'org-1', name: 'Core', status: 'active' },
      'team-2': { id: 'team-2', orgId: 'org-1', name: 'Paused', status: 'suspended' },
      'team-3': { id: 'team-3', orgId: 'org-2', name: 'Frozen team', status: 'active' },
    },
    users: {
      'user-1': { id: 'user-1', orgId: 'org-1', teamIds: ['team-1'], email: 'a@acme.test', status: 'active' },
      'user-2': { id: 'user-2', orgId: 'org-1', teamIds: ['team-1'], email: 'b@acme.test', status: 'suspended' },
    },
    keys: {
      'key-good': key('key-good', secrets.good),
      'key-limited': key('key-limited', secrets.limited, { allowedModels: ['gpt-test'] }),
      'key-expired': key('key-expired', secrets.expired, { expiresAt: '2020-01-01T00:00:00.000Z' }),
      'key-org': key('key-org', secrets.suspendedOrg, { orgId: 'org-2', teamId: 'team-3', userId: null }),
      'key-team': key('key-team', secrets.suspendedTeam, { teamId: 'team-2', userId: null }),
      'key-user': key('key-user', secrets.suspendedUser, { userId: 'user-2' }),
      'key-chat': key('key-chat', secrets.chat, { moduleId: 'mod-chat' }),
      'key-docs': key('key-docs', secrets.docs, { moduleId: 'mod-docs', userId: null }),
      'key-rotated': key('key-rotated', secrets.rotated, {
        previous: { hash: hashApiKey(secrets.rotatedOld), expiresAt: '2030-01-01T00:00:00.000Z' },
      }),
      'key-lapsed': key('key-lapsed', secrets.lapsed, {
        previous: { hash: hashApiKey(secrets.lapsedOld), expiresAt: '2020-01-01T00:00:00.000Z' },
      }),
    },
    modules: {
      'mod-chat': { id: 'mod-chat', key: 'chat', status: 'active' },
      'mod-docs': { id: 'mod-docs', key: 'document-analysis', status: 'active' },
      'mod-frozen': { id: 'mod-frozen', key: 'frozen', status: 'suspended' },
      'mod-search': { id: 'mod-search', key: 'search', status: 'active' },
      'mod-elsewhere': { id: 'mod-elsewhere', key: 'elsewhere', status: 'active' },
    },
    orgModules: {
      'om-chat': { id: 'om-chat', orgId: 'org-1', moduleId: 'mod-chat', allowedModels: null },
      'om-docs': { id: 'om-docs', orgId: 'org-1', moduleId: 'mod-docs', allowedModels: ['gpt-test'] },
      'om-frozen': { id: 'om-frozen', orgId: 'org-1', moduleId: 'mod-frozen', allowedModels: null },
      'om-elsewhere': { id: 'om-elsewhere', orgId: 'org-2', moduleId: 'mod-elsewhere', allowedModels: null },
    },
    credentials: {
      'cred-1': { id: 'cred-1', provider: 'openai', baseUrl, apiKey: providerApiKey },
    },
    models: {
      'm-1': model('m-1', 'gpt-test', 'upstream-test'),
      'm-2': model('m-2', 'other-model', 'upstream-other'),
      'm-500': model('m-500', 'fail-500', 'x@status=500'),
      'm-401': model('m-401', 'fail-401', 'x@status=401'),
      'm-404': model('m-404', 'fail-404', 'x@status=404'),
      'm-400': model('m-400', 'fail-400', 'x@status=400'),
      'm-429': model('m-429', 'fail-429', 'x@status=429'),
      'm-hang': model('m-hang', 'hang', 'x@hang'),
      'm-drop': model('m-drop', 'drop', 'x@drop=2'),
      'm-slow': model('m-slow', 'slow', 'x@chunks=50,chunkDelay=20'),
      'm-bad-json': model('m-bad-json', 'garbage', 'x@garbage'),
    },
  };
}

export function storeOf(snapshot: Snapshot, version = 1, previous?: SnapshotStore | null): SnapshotStore {
  return new SnapshotStore(snapshot, { version, hash: snapshotHash(snapshot), source: 'control-plane' }, previous);
}

/** A format 3 base file (snapshot/base-file.ts) as its header and its [kind, id, resource] entries. */
export async function readBaseFile(path: string): Promise<{ header: Record<string, unknown>; entries: unknown[][] }> {
  const [head, ...rest] = (await readFile(path, 'utf8')).trim().split('\n');
  return { header: JSON.parse(head), entries: rest.map((line) => JSON.parse(line)) };
}
