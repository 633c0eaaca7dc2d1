// buildSnapshot is pure: same rows give the same snapshot; revoked keys and anything under deleted entities drop out.
import { snapshotHash, snapshotProblems, snapshotSchema } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import type { SealedSecret } from '../crypto/secret-box.ts';
import { buildSnapshot } from './build-snapshot.ts';
import type { SnapshotRows } from './snapshot-rows.ts';

const ids = {
  org: '00000000-0000-4000-8000-000000000001',
  gone: '00000000-0000-4000-8000-000000000002',
  team: '00000000-0000-4000-8000-000000000003',
  user: '00000000-0000-4000-8000-000000000004',
  key: '00000000-0000-4000-8000-000000000005',
  revoked: '00000000-0000-4000-8000-000000000006',
  goneKey: '00000000-0000-4000-8000-000000000007',
  cred: '00000000-0000-4000-8000-000000000008',
  model: '00000000-0000-4000-8000-000000000009',
  deployment: '00000000-0000-4000-8000-00000000000a',
  module: '00000000-0000-4000-8000-00000000000b',
  enablement: '00000000-0000-4000-8000-00000000000c',
  teamKey: '00000000-0000-4000-8000-00000000000d',
};

function rows(): Omit<SnapshotRows, 'version'> {
  const key = (id: string, extra: Partial<SnapshotRows['keys'][number]> = {}) => ({
    id,
    org_id: ids.org,
    team_id: ids.team,
    user_id: ids.user,
    module_id: null,
    prefix: 'sk-gw-abcdef',
    key_hash: id.replace(/-/g, '').padEnd(64, 'a'),
    allowed_models: null,
    expires_at: '2030-01-01T00:00:00+00:00',
    revoked: false,
    previous_key_hash: null,
    previous_expires_at: null,
    ...extra,
  });
  return {
    orgs: [
      { id: ids.org, name: 'Acme', status: 'suspended', budget_fail_open: false, deleted_at: null },
      { id: ids.gone, name: 'Gone', status: 'active', budget_fail_open: false, deleted_at: new Date() },
    ],
    teams: [{ id: ids.team, org_id: ids.org, name: 'Core', status: 'active', deleted_at: null }],
    users: [
      { id: ids.user, org_id: ids.org, email: 'a@b.co', status: 'active', deleted_at: null, team_ids: [ids.team] },
    ],
    keys: [
      key(ids.key, { allowed_models: ['gpt-4o'] }),
      key(ids.revoked, { revoked: true }),
      key(ids.goneKey, { org_id: ids.gone, team_id: null, user_id: null }),
    ],
    credentials: [
      {
        id: ids.cred,
        provider: 'openai',
        base_url: 'http://127.0.0.1:9/v1',
        secret_ciphertext: Buffer.from('sealed'),
        secret_iv: Buffer.alloc(12),
        secret_tag: Buffer.alloc(16),
      },
    ],
    models: [
      {
        id: ids.model,
        name: 'gpt-4o',
        input_price_per_mtok: '2.5000000000',
        output_price_per_mtok: '10.0000000000',
        cached_input_price_per_mtok: '1.25',
      },
    ],
    deployments: [
      { id: ids.deployment, model_id: ids.model, credential_id: ids.cred, upstream_model: 'gpt-4o-2024', weight: 1 },
    ],
    orgModelAccess: [],
    modules: [],
    orgModules: [],
    limits: [],
  };
}

const open = (s: SealedSecret) => `plain:${s.ciphertext.toString('utf8')}`;

describe('buildSnapshot', () => {
  it('maps rows to a valid, consistent contract snapshot', () => {
    const s = buildSnapshot(rows(), open);
    expect(snapshotSchema.safeParse(s).success).toBe(true);
    expect(snapshotProblems(s)).toEqual([]);
    expect(s.orgs[ids.org]).toEqual({ id: ids.org, name: 'Acme', status: 'suspended' });
    expect(s.users[ids.user].teamIds).toEqual([ids.team]);
    expect(s.credentials[ids.cred].apiKey).toBe('plain:sealed');
    expect(s.models[ids.model]).toEqual({
      id: ids.model,
      name: 'gpt-4o',
      deployments: [{ credentialId: ids.cred, upstreamModel: 'gpt-4o-2024', weight: 1 }],
      prices: { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 },
    });
    expect(s.keys[ids.key]).toMatchObject({ allowedModels: ['gpt-4o'], expiresAt: '2030-01-01T00:00:00.000Z' });
  });

  it('leaves out revoked keys, deleted orgs and keys of deleted orgs; keeps suspended ones', () => {
    const s = buildSnapshot(rows(), open);
    expect(Object.keys(s.keys)).toEqual([ids.key]);
    expect(Object.keys(s.orgs)).toEqual([ids.org]);
  });

  it('drops keys whose owner is deleted; a user key whose attribution team is gone keeps working without it', () => {
    const r = rows();
    r.keys.push({ ...r.keys[0], id: ids.teamKey, user_id: null, key_hash: 'b'.repeat(64) });
    r.teams[0].deleted_at = new Date();
    const s = buildSnapshot(r, open);
    expect(s.teams).toEqual({});
    expect(Object.keys(s.keys)).toEqual([ids.key]);
    expect(s.keys[ids.key]).toMatchObject({ userId: ids.user, teamId: null });
    expect(s.users[ids.user].teamIds).toEqual([]);
    expect(snapshotProblems(s)).toEqual([]);
    r.users[0].deleted_at = new Date();
    expect(buildSnapshot(r, open).keys).toEqual({});
  });

  it('carries modules, enablements, key module bindings and the rotated-out secret with its end', () => {
    const r = rows();
    r.modules = [
      { id: ids.module, key: 'chat', status: 'suspended', deleted_at: null },
      { id: ids.gone, key: 'old', status: 'active', deleted_at: new Date() },
    ];
    r.orgModules = [
      { id: ids.enablement, org_id: ids.org, module_id: ids.module, allowed_models: ['gpt-4o'] },
      { id: ids.deployment, org_id: ids.org, module_id: ids.gone, allowed_models: null },
    ];
    r.keys[0] = {
      ...r.keys[0],
      module_id: ids.module,
      previous_key_hash: 'c'.repeat(64),
      previous_expires_at: '2030-06-01T12:00:00+00:00',
    };
    r.keys.push({
      ...r.keys[0],
      id: ids.teamKey,
      key_hash: 'd'.repeat(64),
      module_id: ids.gone,
      previous_key_hash: null,
    });
    const s = buildSnapshot(r, open);
    expect(s.modules).toEqual({ [ids.module]: { id: ids.module, key: 'chat', status: 'suspended' } });
    expect(s.orgModules).toEqual({
      [ids.enablement]: { id: ids.enablement, orgId: ids.org, moduleId: ids.module, allowedModels: ['gpt-4o'] },
    });
    expect(s.keys[ids.key]).toMatchObject({
      moduleId: ids.module,
      previous: { hash: 'c'.repeat(64), expiresAt: '2030-06-01T12:00:00.000Z' },
    });
    // Bound to a deleted module: left out. Unset fields and empty kinds are absent, not null.
    expect(s.keys[ids.teamKey]).toBeUndefined();
    const plain = buildSnapshot(rows(), open);
    expect('moduleId' in plain.keys[ids.key] || 'previous' in plain.keys[ids.key]).toBe(false);
    expect('modules' in plain || 'orgModules' in plain).toBe(false);
    expect(snapshotSchema.safeParse(s).success).toBe(true);
    expect(snapshotProblems(s)).toEqual([]);
  });

  it('is pure: same input, same output, input untouched, row order irrelevant', () => {
    const input = rows();
    const before = JSON.stringify(input);
    const a = buildSnapshot(input, open);
    expect(JSON.stringify(input)).toBe(before);
    const reversed = Object.fromEntries(Object.entries(rows()).map(([k, v]) => [k, [...v].reverse()])) as typeof input;
    expect(snapshotHash(buildSnapshot(reversed, open))).toBe(snapshotHash(a));
    expect(buildSnapshot(rows(), open)).toEqual(a);
  });

  it('routes a model to every deployment with its weight, in id order, and skips models without any', () => {
    const r = rows();
    const second = '00000000-0000-4000-8000-000000000001';
    r.deployments.push({ id: second, model_id: ids.model, credential_id: ids.cred, upstream_model: 'b', weight: 3 });
    r.models.push({ ...r.models[0], id: ids.gone, name: 'empty' });
    const s = buildSnapshot(r, open);
    expect(s.models[ids.model].deployments).toEqual([
      { credentialId: ids.cred, upstreamModel: 'b', weight: 3 },
      { credentialId: ids.cred, upstreamModel: 'gpt-4o-2024', weight: 1 },
    ]);
    expect(s.models[ids.gone]).toBeUndefined();
    expect(snapshotProblems(s)).toEqual([]);
  });

  it('gives a restricted org its allowed model names; others carry no field (every model)', () => {
    const r = rows();
    r.orgs.push({ id: ids.user, name: 'Open', status: 'active', budget_fail_open: false, deleted_at: null });
    r.orgModelAccess = [
      { org_id: ids.org, model_ids: [ids.model, ids.gone] },
      { org_id: ids.gone, model_ids: [] },
    ];
    const s = buildSnapshot(r, open);
    expect(s.orgs[ids.org]).toEqual({ id: ids.org, name: 'Acme', status: 'suspended', allowedModels: ['gpt-4o'] });
    expect(s.orgs[ids.user]).toEqual({ id: ids.user, name: 'Open', status: 'active' });
    expect(s.orgs[ids.gone]).toBeUndefined();
    expect(snapshotSchema.safeParse(s).success).toBe(true);
    r.orgModelAccess = [{ org_id: ids.org, model_ids: [] }];
    expect(buildSnapshot(r, open).orgs[ids.org].allowedModels).toEqual([]);
  });

  it('carries limits in nano-dollars (only periods and rates that are set) and fail-open orgs', () => {
    const r = rows();
    r.orgs[0].budget_fail_open = true;
    const limit = (id: string, org: string, extra: Partial<SnapshotRows['limits'][number]>) => ({
      id,
      org_id: org,
      scope_kind: 'team' as const,
      scope_id: ids.team,
      daily: null,
      weekly: null,
      monthly: null,
      total: null,
      rpm: null,
      tpm: null,
      ...extra,
    });
    r.limits = [
      limit(ids.enablement, ids.org, { daily: '12500000000', tpm: 1000 }),
      limit(ids.deployment, ids.org, { scope_kind: 'org', scope_id: ids.org, total: '9000000000000000', rpm: 60 }),
      limit(ids.module, ids.gone, { scope_kind: 'org', scope_id: ids.gone, monthly: '1' }),
    ];
    const s = buildSnapshot(r, open);
    expect(s.orgs[ids.org]).toEqual({ id: ids.org, name: 'Acme', status: 'suspended', budgetFailOpen: true });
    expect(s.limits).toEqual({
      [ids.enablement]: {
        id: ids.enablement,
        orgId: ids.org,
        scope: 'team',
        scopeId: ids.team,
        budgets: { daily: 12_500_000_000 },
        tpm: 1000,
      },
      [ids.deployment]: {
        id: ids.deployment,
        orgId: ids.org,
        scope: 'org',
        scopeId: ids.org,
        budgets: { total: 9_000_000_000_000_000 },
        rpm: 60,
      },
    });
    expect(snapshotSchema.safeParse(s).success).toBe(true);
    expect(snapshotProblems(s)).toEqual([]);
    const plain = buildSnapshot(rows(), open);
    expect('limits' in plain || 'budgetFailOpen' in plain.orgs[ids.org]).toBe(false);
  });
});
