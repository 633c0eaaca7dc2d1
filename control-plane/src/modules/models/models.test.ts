// Models with weighted deployments: validation with field paths, routing changes reaching the snapshot, audit,
// the list connection, and what org roles may see.
import { describe, expect, it } from 'vitest';
import { createOrg, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { waitFor } from '../../test-support/test-app.ts';

const t = useApiSuite();

const modelFields = `id name inputPricePerMTok outputPricePerMTok cachedInputPricePerMTok
  deployments { id credentialId upstreamModel weight credential { name secretHint } }`;
const createModel = `mutation($i: CreateModelInput!) { createModel(input: $i) { ${modelFields} } }`;
const updateModel = `mutation($i: UpdateModelInput!) { updateModel(input: $i) { ${modelFields} } }`;
const addDeployment = `mutation($i: AddModelDeploymentInput!) { addModelDeployment(input: $i) { ${modelFields} } }`;
const updateDeployment = `mutation($i: UpdateModelDeploymentInput!) { updateModelDeployment(input: $i) { ${modelFields} } }`;
const removeDeployment = `mutation($id: ID!) { removeModelDeployment(id: $id) { ${modelFields} } }`;

interface ModelOut {
  id: string;
  name: string;
  cachedInputPricePerMTok: number;
  deployments: {
    id: string;
    credentialId: string;
    upstreamModel: string;
    weight: number;
    credential: { name: string };
  }[];
}
const ext = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions;

async function credential(name: string): Promise<string> {
  const r = await must<{ createProviderCredential: { id: string } }>(
    t.app.gql('mutation($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id } }', {
      i: { name, provider: 'OPENAI', baseUrl: `http://127.0.0.1:9/${name}`, apiKey: `sk-${name}-0000` },
    }),
  );
  return r.createProviderCredential.id;
}

async function model(input: Record<string, unknown>): Promise<ModelOut> {
  return (await must<{ createModel: ModelOut }>(t.app.gql(createModel, { i: input }))).createModel;
}

async function snapshotAfterChange() {
  const [{ version }] = await t.db.query<{ version: string }>('select version from config_state');
  return waitFor(() => {
    const current = t.app.deps.publisher.current();
    return current && current.version >= Number(version) ? current.snapshot : undefined;
  });
}

describe('models', () => {
  it('creates a model with two weighted deployments and routes it that way in the snapshot', async () => {
    const [a, b] = [await credential('w-a'), await credential('w-b')];
    const m = await model({
      name: 'split',
      deployments: [
        { credentialId: a, upstreamModel: 'up-a', weight: 3 },
        { credentialId: b, upstreamModel: 'up-b' },
      ],
      inputPricePerMTok: 2,
      outputPricePerMTok: 8,
    });
    expect(m.cachedInputPricePerMTok).toBe(2);
    expect(m.deployments.map((d) => [d.credential.name, d.upstreamModel, d.weight])).toEqual([
      ['w-a', 'up-a', 3],
      ['w-b', 'up-b', 1],
    ]);
    const snap = (await snapshotAfterChange()).models[m.id];
    expect([...snap.deployments].sort((x, y) => y.weight - x.weight)).toEqual([
      { credentialId: a, upstreamModel: 'up-a', weight: 3 },
      { credentialId: b, upstreamModel: 'up-b', weight: 1 },
    ]);
    expect(snap.prices).toEqual({ inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 2 });
    const [event] = await t.db.query('select action, after from audit_events where target_id = $1', [m.id]);
    expect(event).toMatchObject({ action: 'model.create', after: { name: 'split', deployments: [{}, {}] } });
  });

  it('rejects bad input with the field path to fix', async () => {
    const cred = await credential('v-cred');
    await model({
      name: 'taken',
      deployments: [{ credentialId: cred, upstreamModel: 'u' }],
      inputPricePerMTok: 1,
      outputPricePerMTok: 1,
    });
    const base = {
      name: 'other',
      deployments: [{ credentialId: cred, upstreamModel: 'u' }],
      inputPricePerMTok: 1,
      outputPricePerMTok: 1,
    };
    const missing = '00000000-0000-4000-8000-000000000000';
    const cases: [Record<string, unknown>, string, string][] = [
      [{ inputPricePerMTok: -1 }, 'BAD_USER_INPUT', 'input.inputPricePerMTok'],
      [{ outputPricePerMTok: -0.01 }, 'BAD_USER_INPUT', 'input.outputPricePerMTok'],
      [{ cachedInputPricePerMTok: -5 }, 'BAD_USER_INPUT', 'input.cachedInputPricePerMTok'],
      [{ name: 'taken' }, 'CONFLICT', 'input.name'],
      [{ name: 'has space' }, 'BAD_USER_INPUT', 'input.name'],
      [{ deployments: [] }, 'BAD_USER_INPUT', 'input.deployments'],
      [
        { deployments: [{ credentialId: missing, upstreamModel: 'u' }] },
        'NOT_FOUND',
        'input.deployments.0.credentialId',
      ],
      [
        { deployments: [{ credentialId: 'nope', upstreamModel: 'u' }] },
        'NOT_FOUND',
        'input.deployments.0.credentialId',
      ],
      [
        { deployments: [{ credentialId: cred, upstreamModel: ' ' }] },
        'BAD_USER_INPUT',
        'input.deployments.0.upstreamModel',
      ],
      [
        { deployments: [{ credentialId: cred, upstreamModel: 'u', weight: 0 }] },
        'BAD_USER_INPUT',
        'input.deployments.0.weight',
      ],
      [
        { deployments: [{ credentialId: cred, upstreamModel: 'u', weight: 1_000_001 }] },
        'BAD_USER_INPUT',
        'input.deployments.0.weight',
      ],
      [
        {
          deployments: [
            { credentialId: cred, upstreamModel: 'u' },
            { credentialId: cred, upstreamModel: 'u', weight: 2 },
          ],
        },
        'BAD_USER_INPUT',
        'input.deployments.1',
      ],
    ];
    for (const [patch, code, field] of cases) {
      expect(ext(await t.app.gql(createModel, { i: { ...base, ...patch } })), JSON.stringify(patch)).toEqual({
        code,
        field,
      });
    }
    expect(await t.db.query("select 1 from models where name = 'other'")).toEqual([]);
  });

  it('updates prices, keeping the ones not given', async () => {
    const cred = await credential('p-cred');
    const m = await model({
      name: 'priced',
      deployments: [{ credentialId: cred, upstreamModel: 'u' }],
      inputPricePerMTok: 1,
      outputPricePerMTok: 2,
      cachedInputPricePerMTok: 0.5,
    });
    const r = await must<{ updateModel: Record<string, number> }>(
      t.app.gql(updateModel, { i: { id: m.id, outputPricePerMTok: 3.25 } }),
    );
    expect(r.updateModel).toMatchObject({
      inputPricePerMTok: 1,
      outputPricePerMTok: 3.25,
      cachedInputPricePerMTok: 0.5,
    });
    expect((await snapshotAfterChange()).models[m.id].prices.outputPerMTok).toBe(3.25);
    expect(ext(await t.app.gql(updateModel, { i: { id: m.id } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'input' });
    expect(ext(await t.app.gql(updateModel, { i: { id: m.id, inputPricePerMTok: -2 } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.inputPricePerMTok',
    });
  });

  it('adds, reweights and removes deployments (never the last one), each change in the snapshot and audited', async () => {
    const [a, b] = [await credential('d-a'), await credential('d-b')];
    const m = await model({
      name: 'routed',
      deployments: [{ credentialId: a, upstreamModel: 'one' }],
      inputPricePerMTok: 1,
      outputPricePerMTok: 1,
    });
    const added = (
      await must<{ addModelDeployment: ModelOut }>(
        t.app.gql(addDeployment, { i: { modelId: m.id, credentialId: b, upstreamModel: 'two', weight: 4 } }),
      )
    ).addModelDeployment;
    expect(added.deployments.map((d) => [d.upstreamModel, d.weight])).toEqual([
      ['one', 1],
      ['two', 4],
    ]);
    expect(
      ext(await t.app.gql(addDeployment, { i: { modelId: m.id, credentialId: b, upstreamModel: 'two' } })),
    ).toEqual({
      code: 'CONFLICT',
      field: 'input.upstreamModel',
    });
    expect(
      ext(await t.app.gql(addDeployment, { i: { modelId: m.id, credentialId: b, upstreamModel: 'x', weight: -1 } })),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.weight',
    });
    const second = added.deployments[1].id;
    const reweighted = (
      await must<{ updateModelDeployment: ModelOut }>(t.app.gql(updateDeployment, { i: { id: second, weight: 9 } }))
    ).updateModelDeployment;
    expect(reweighted.deployments[1].weight).toBe(9);
    expect((await snapshotAfterChange()).models[m.id].deployments).toContainEqual({
      credentialId: b,
      upstreamModel: 'two',
      weight: 9,
    });

    const first = added.deployments[0].id;
    const removed = (await must<{ removeModelDeployment: ModelOut }>(t.app.gql(removeDeployment, { id: first })))
      .removeModelDeployment;
    expect(removed.deployments.map((d) => d.upstreamModel)).toEqual(['two']);
    expect((await snapshotAfterChange()).models[m.id].deployments).toEqual([
      { credentialId: b, upstreamModel: 'two', weight: 9 },
    ]);
    expect(ext(await t.app.gql(removeDeployment, { id: second }))).toEqual({ code: 'CONFLICT', field: 'id' });
    expect(ext(await t.app.gql(removeDeployment, { id: first }))).toEqual({ code: 'NOT_FOUND', field: 'id' });

    const actions = await t.db.query<{ action: string }>(
      'select action from audit_events where target_id = $1 order by id',
      [m.id],
    );
    expect(actions.map((r) => r.action)).toEqual([
      'model.create',
      'model.addDeployment',
      'model.updateDeployment',
      'model.removeDeployment',
    ]);
  });

  it('deletes a model: it leaves the snapshot and the org lists that named it', async () => {
    const cred = await credential('del-cred');
    const m = await model({
      name: 'doomed',
      deployments: [{ credentialId: cred, upstreamModel: 'u' }],
      inputPricePerMTok: 1,
      outputPricePerMTok: 1,
    });
    const org = await createOrg(t.app, 'Lists Doomed');
    await must(
      t.app.gql('mutation($i: SetOrgModelAccessInput!) { setOrgModelAccess(input: $i) { allModels } }', {
        i: { orgId: org, allModels: false, modelNames: ['doomed'] },
      }),
    );
    expect((await snapshotAfterChange()).orgs[org].allowedModels).toEqual(['doomed']);
    await must(t.app.gql('mutation($id: ID!) { deleteModel(id: $id) { id name } }', { id: m.id }));
    const snap = await snapshotAfterChange();
    expect(snap.models[m.id]).toBeUndefined();
    expect(snap.orgs[org].allowedModels).toEqual([]);
    expect(await t.db.query('select 1 from model_deployments where model_id = $1', [m.id])).toEqual([]);
    expect(ext(await t.app.gql('mutation($id: ID!) { deleteModel(id: $id) { id } }', { id: m.id }))).toEqual({
      code: 'NOT_FOUND',
      field: 'id',
    });
  });

  it('lists models by name as a connection, filtered by name and credential', async () => {
    const cred = await credential('f-cred');
    for (const name of ['zz-one', 'zz-two', 'zz-three']) {
      await model({
        name,
        deployments: [{ credentialId: cred, upstreamModel: name }],
        inputPricePerMTok: 1,
        outputPricePerMTok: 1,
      });
    }
    const q = `query($f: ModelFilter, $first: Int, $after: String) {
      models(filter: $f, first: $first, after: $after) { totalCount nodes { name } pageInfo { endCursor hasNextPage } } }`;
    type Page = {
      models: { totalCount: number; nodes: { name: string }[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
    };
    const p1 = await must<Page>(t.app.gql(q, { f: { nameContains: 'ZZ-' }, first: 2 }));
    expect(p1.models).toMatchObject({
      totalCount: 3,
      nodes: [{ name: 'zz-one' }, { name: 'zz-three' }],
      pageInfo: { hasNextPage: true },
    });
    const p2 = await must<Page>(
      t.app.gql(q, { f: { nameContains: 'zz-' }, first: 2, after: p1.models.pageInfo.endCursor }),
    );
    expect(p2.models.nodes).toEqual([{ name: 'zz-two' }]);
    const byCred = await must<Page>(t.app.gql(q, { f: { credentialId: cred } }));
    expect(byCred.models.nodes.map((n) => n.name)).toEqual(['zz-one', 'zz-three', 'zz-two']);
  });

  it('org roles read names and prices of their models, never deployments; only platform admins write', async () => {
    const org = await createOrg(t.app, 'Model Readers');
    const cred = await credential('r-cred');
    const m = await model({
      name: 'readable',
      deployments: [{ credentialId: cred, upstreamModel: 'u' }],
      inputPricePerMTok: 1,
      outputPricePerMTok: 1,
    });
    for (const role of ['ORG_ADMIN', 'ORG_VIEWER']) {
      const { createApiToken } = await must<{ createApiToken: { token: string } }>(
        t.app.gql('mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }', {
          i: { name: `m-${role}`, role, orgId: org },
        }),
      );
      const token = createApiToken.token;
      const listed = await t.app.gql<{ models: { nodes: { name: string }[] } }>(
        '{ models(first: 100) { nodes { name inputPricePerMTok } } }',
        {},
        token,
      );
      expect(listed.errors).toBeUndefined();
      expect(listed.data?.models.nodes.map((n) => n.name)).toContain('readable');
      const withDeployments = await t.app.gql('{ models { nodes { name deployments { upstreamModel } } } }', {}, token);
      expect(ext(withDeployments)).toMatchObject({ code: 'FORBIDDEN' });
      expect(
        ext(
          await t.app.gql(
            'query($f: ModelFilter) { models(filter: $f) { totalCount } }',
            { f: { credentialId: cred } },
            token,
          ),
        ),
      ).toMatchObject({ code: 'FORBIDDEN' });
      const writes: [string, Record<string, unknown>][] = [
        [
          createModel,
          {
            i: {
              name: 'nope',
              deployments: [{ credentialId: cred, upstreamModel: 'u' }],
              inputPricePerMTok: 1,
              outputPricePerMTok: 1,
            },
          },
        ],
        [updateModel, { i: { id: m.id, inputPricePerMTok: 5 } }],
        ['mutation($id: ID!) { deleteModel(id: $id) { id } }', { id: m.id }],
        [addDeployment, { i: { modelId: m.id, credentialId: cred, upstreamModel: 'v' } }],
        [updateDeployment, { i: { id: m.deployments[0].id, weight: 2 } }],
        [removeDeployment, { id: m.deployments[0].id }],
      ];
      for (const [query, variables] of writes) {
        expect(ext(await t.app.gql(query, variables, token)), `${role} ${query}`).toMatchObject({ code: 'FORBIDDEN' });
      }
    }
  });
});
