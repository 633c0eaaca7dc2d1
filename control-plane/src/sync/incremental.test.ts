// The incrementally maintained snapshot equals a full build after every change: random config changes of every kind
// go through the API (its services), and after each the replica's snapshot and hash are compared with a rebuild.
import { describe, expect, it } from 'vitest';
import { createCredentialAndModel, createOrg, createTeam, createUser } from '../test-support/fixtures.ts';
import { useApiSuite } from '../test-support/suite.ts';
import { applyChanges, runWith } from './apply-changes.ts';
import { loadRows, readConsistently } from './snapshot-queries.ts';
import { SnapshotState } from './snapshot-state.ts';

const t = useApiSuite();

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

async function fullBuild(): Promise<{ version: number; state: SnapshotState }> {
  const deps = t.app.deps;
  return readConsistently(deps.orm.em, async (tx) => {
    const [s] = await tx.execute<{ version: string }[]>('select version from config_state');
    const state = new SnapshotState();
    await runWith(
      applyChanges(state, 'all', (sealed) => deps.secretBox.open(sealed)),
      (l) => loadRows(tx, l),
    );
    return { version: Number(s.version), state };
  });
}

describe('incremental snapshot', () => {
  it('equals a full build after each of many random changes through the services', async () => {
    const rnd = random(Number(process.env.SYNC_SEED ?? 8));
    const pick = <T>(list: T[]): T | undefined => list[Math.floor(rnd() * list.length)];
    const gql = (q: string, v: Record<string, unknown>) => t.app.gql<Record<string, { id?: string }>>(q, v);
    const world = {
      orgs: [] as string[],
      teams: [] as [string, string][],
      users: [] as [string, string][],
      keys: [] as string[],
      creds: [] as string[],
      models: [] as [string, string][],
      modules: [] as string[],
    };
    const first = await createCredentialAndModel(t.app, 'model-0');
    world.creds.push(first.credentialId);
    world.models.push([first.modelId, 'model-0']);
    /** An org, team, user or module at random (suspend/reactivate and delete act on the same kinds). */
    const lifecycleTarget = () =>
      pick([
        ['Organization', pick(world.orgs)],
        ['Team', pick(world.teams)?.[0]],
        ['User', pick(world.users)?.[0]],
        ['Module', pick(world.modules)],
      ] as const) ?? [];
    let n = 0;
    const ops: Record<string, () => Promise<unknown>> = {
      org: async () => world.orgs.push(await createOrg(t.app, `Org ${++n}`)),
      team: async () => {
        const org = pick(world.orgs);
        if (org) world.teams.push([await createTeam(t.app, org, `T${++n}`), org]);
      },
      user: async () => {
        const org = pick(world.orgs);
        if (!org) return;
        const teams = world.teams.filter(([, o]) => o === org).map(([id]) => id);
        world.users.push([await createUser(t.app, org, `u${++n}@x.io`, teams.slice(0, 1)), org]);
      },
      member: async () => {
        const [user, org] = pick(world.users) ?? [];
        const team = pick(world.teams.filter(([, o]) => o === org))?.[0];
        if (user && team) {
          const op = rnd() < 0.6 ? 'addTeamMember' : 'removeTeamMember';
          await gql(`mutation($t: ID!, $u: ID!) { ${op}(teamId: $t, userId: $u) { __typename } }`, {
            t: team,
            u: user,
          });
        }
      },
      key: async () => {
        const [user, org] = pick(world.users) ?? [];
        const team = pick(world.teams.filter(([, o]) => o === org))?.[0];
        const moduleId = rnd() < 0.3 ? pick(world.modules) : undefined;
        if (!org) return;
        const owner = rnd() < 0.5 ? { userId: user, teamId: rnd() < 0.5 ? team : undefined } : { teamId: team };
        if (!owner.userId && !owner.teamId) return;
        const r = await gql(
          'mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { virtualKey { id } } }',
          {
            i: { orgId: org, name: 'k', ...owner, ...(moduleId ? { moduleId } : {}) },
          },
        );
        const id = (r.data?.createVirtualKey as { virtualKey?: { id: string } } | undefined)?.virtualKey?.id;
        if (id) world.keys.push(id);
      },
      rotate: async () => {
        const key = pick(world.keys);
        if (key)
          await gql(
            'mutation($id: ID!, $v: DateTime) { rotateVirtualKey(id: $id, previousSecretValidUntil: $v) { __typename } }',
            { id: key, v: rnd() < 0.5 ? new Date(Date.now() + 3_600_000).toISOString() : null },
          );
      },
      revoke: async () => {
        const key = pick(world.keys);
        if (key) await gql('mutation($id: ID!) { revokeVirtualKey(id: $id) { id } }', { id: key });
      },
      credential: async () => {
        const r = await gql(
          'mutation($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id } }',
          {
            i: { name: `c${++n}`, provider: 'OPENAI', baseUrl: 'http://127.0.0.1:9/v1', apiKey: `sk-${n}` },
          },
        );
        if (r.data?.createProviderCredential?.id) world.creds.push(r.data.createProviderCredential.id);
      },
      rotateCredential: async () => {
        const id = pick(world.creds);
        if (id)
          await gql('mutation($i: RotateProviderCredentialInput!) { rotateProviderCredential(input: $i) { id } }', {
            i: { id, apiKey: `sk-r${++n}` },
          });
      },
      deleteCredential: async () => {
        const id = pick(world.creds);
        if (id) await gql('mutation($id: ID!) { deleteProviderCredential(id: $id) { __typename } }', { id });
      },
      model: async () => {
        const credentialId = pick(world.creds);
        const name = `model-${++n}`;
        const r = await gql('mutation($i: CreateModelInput!) { createModel(input: $i) { id } }', {
          i: {
            name,
            deployments: [{ credentialId, upstreamModel: name }],
            inputPricePerMTok: 1,
            outputPricePerMTok: 2,
          },
        });
        if (r.data?.createModel?.id) world.models.push([r.data.createModel.id, name]);
      },
      deployment: async () => {
        const [modelId] = pick(world.models) ?? [];
        const credentialId = pick(world.creds);
        if (modelId && credentialId)
          await gql('mutation($i: AddModelDeploymentInput!) { addModelDeployment(input: $i) { __typename } }', {
            i: { modelId, credentialId, upstreamModel: `up-${++n}`, weight: 2 },
          });
      },
      price: async () => {
        const [id] = pick(world.models) ?? [];
        if (id)
          await gql('mutation($i: UpdateModelInput!) { updateModel(input: $i) { id } }', {
            i: { id, inputPricePerMTok: rnd() * 10 },
          });
      },
      deleteModel: async () => {
        const [id] = pick(world.models) ?? [];
        if (id) await gql('mutation($id: ID!) { deleteModel(id: $id) { __typename } }', { id });
      },
      access: async () => {
        const org = pick(world.orgs);
        const names = world.models.filter(() => rnd() < 0.5).map(([, name]) => name);
        if (org)
          await gql('mutation($i: SetOrgModelAccessInput!) { setOrgModelAccess(input: $i) { __typename } }', {
            i: { orgId: org, allModels: rnd() < 0.3, modelNames: names },
          });
      },
      module: async () => {
        const r = await gql('mutation($i: CreateModuleInput!) { createModule(input: $i) { id } }', {
          i: { key: `mod-${++n}`, name: `M${n}` },
        });
        if (r.data?.createModule?.id) world.modules.push(r.data.createModule.id);
      },
      enable: async () => {
        const [orgId, moduleId] = [pick(world.orgs), pick(world.modules)];
        if (orgId && moduleId)
          await gql('mutation($i: ModuleEnablementInput!) { enableModule(input: $i) { __typename } }', {
            i: { orgId, moduleId, allowedModels: rnd() < 0.5 ? null : ['model-0'] },
          });
      },
      disable: async () => {
        const [orgId, moduleId] = [pick(world.orgs), pick(world.modules)];
        if (orgId && moduleId)
          await gql('mutation($o: ID!, $m: ID!) { disableModule(orgId: $o, moduleId: $m) { __typename } }', {
            o: orgId,
            m: moduleId,
          });
      },
      suspend: async () => {
        const [kind, id] = lifecycleTarget();
        const op = rnd() < 0.6 ? 'suspend' : 'reactivate';
        if (id) await gql(`mutation($id: ID!) { ${op}${kind}(id: $id) { __typename } }`, { id });
      },
      limit: async () => {
        const [kind, id, org] =
          pick([
            ['ORG', pick(world.orgs), undefined],
            ['TEAM', ...(pick(world.teams) ?? [])],
            ['USER', ...(pick(world.users) ?? [])],
          ] as [string, string | undefined, string | undefined][]) ?? [];
        const orgId = kind === 'ORG' ? id : org;
        if (!id || !orgId) return;
        await gql(
          'mutation($o: ID!, $k: LimitScope!, $s: ID!, $i: LimitsInput!) { setLimits(orgId: $o, scope: $k, scopeId: $s, input: $i) { id } }',
          {
            o: orgId,
            k: kind,
            s: id,
            i:
              rnd() < 0.5
                ? { budgets: { daily: `${Math.ceil(rnd() * 100)}.5` } }
                : { rpm: 1 + Math.floor(rnd() * 100) },
          },
        );
      },
      failOpen: async () => {
        const id = pick(world.orgs);
        if (id)
          await gql(
            'mutation($id: ID!, $f: Boolean) { updateOrganization(id: $id, input: { budgetFailOpen: $f }) { id } }',
            {
              id,
              f: rnd() < 0.5,
            },
          );
      },
      remove: async () => {
        const [kind, id] = lifecycleTarget();
        if (id && rnd() < 0.5) await gql(`mutation($id: ID!) { delete${kind}(id: $id) { __typename } }`, { id });
      },
    };
    const weights = Object.keys(ops).flatMap((k) => (['org', 'team', 'user', 'key'].includes(k) ? [k, k, k] : [k]));
    for (let step = 0; step < 120; step++) {
      const op = pick(weights) as string;
      await ops[op]();
      const full = await fullBuild();
      await t.app.deps.publisher.refresh();
      const current = t.app.deps.publisher.current();
      expect(current?.version, `step ${step} (${op})`).toBe(full.version);
      expect(current?.hash, `step ${step} (${op})`).toBe(full.state.hash);
      if (step % 20 === 19) expect(current?.snapshot).toEqual(full.state.snapshot());
    }
    expect(world.keys.length).toBeGreaterThan(2);
    // Limits came and went with their scopes along the way.
    const [{ n: limitChanges }] = await t.db.query('select count(*)::int as n from config_changes where kind = $1', [
      'limits',
    ]);
    expect(limitChanges).toBeGreaterThan(3);
    // Every change was applied incrementally: no full rebuild after the first build.
    expect(t.app.logs.filter((l) => l.msg === 'published snapshot' && l.rebuilt)).toEqual([]);
    expect(t.app.logs.filter((l) => l.msg === 'published snapshot').length).toBeGreaterThan(50);
  }, 240_000);
});
