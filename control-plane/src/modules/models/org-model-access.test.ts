// Per-org model availability: every model by default, or an explicit list set by platform admins; it reaches the
// snapshot as the org's allowedModels, org roles read it, and only platform admins change it.
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrg, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { waitFor } from '../../test-support/test-app.ts';

const t = useApiSuite();

const setAccess =
  'mutation($i: SetOrgModelAccessInput!) { setOrgModelAccess(input: $i) { orgId allModels models { name } } }';
const readAccess = 'query($id: ID!) { organization(id: $id) { modelAccess { allModels models { name } } } }';
const ext = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions;

async function snapshotAfterChange() {
  const [{ version }] = await t.db.query<{ version: string }>('select version from config_state');
  return waitFor(() => {
    const current = t.app.deps.publisher.current();
    return current && current.version >= Number(version) ? current.snapshot : undefined;
  });
}

async function tokenFor(orgId: string, role: string): Promise<string> {
  const r = await must<{ createApiToken: { token: string } }>(
    t.app.gql('mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }', {
      i: { name: `${role}-${orgId.slice(0, 8)}`, role, orgId },
    }),
  );
  return r.createApiToken.token;
}

const names = (r: { models: { nodes: { name: string }[] } } | null | undefined) => r?.models.nodes.map((n) => n.name);

describe('per-org model availability', () => {
  beforeAll(async () => {
    const { createProviderCredential: cred } = await must<{ createProviderCredential: { id: string } }>(
      t.app.gql('mutation($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id } }', {
        i: { name: 'avail', provider: 'OPENAI', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-avail-0000' },
      }),
    );
    for (const name of ['m-a', 'm-b', 'm-c']) {
      await must(
        t.app.gql('mutation($i: CreateModelInput!) { createModel(input: $i) { id } }', {
          i: {
            name,
            deployments: [{ credentialId: cred.id, upstreamModel: name }],
            inputPricePerMTok: 1,
            outputPricePerMTok: 1,
          },
        }),
      );
    }
  });

  it('defaults to every model, narrows to a list, and goes back', async () => {
    const org = await createOrg(t.app, 'Narrowed');
    const other = await createOrg(t.app, 'Untouched');
    const initial = await must<{ organization: { modelAccess: unknown } }>(t.app.gql(readAccess, { id: org }));
    expect(initial.organization.modelAccess).toEqual({
      allModels: true,
      models: [{ name: 'm-a' }, { name: 'm-b' }, { name: 'm-c' }],
    });
    expect((await snapshotAfterChange()).orgs[org].allowedModels).toBeUndefined();

    const narrowed = await must<{ setOrgModelAccess: unknown }>(
      t.app.gql(setAccess, { i: { orgId: org, allModels: false, modelNames: ['m-c', 'm-a'] } }),
    );
    expect(narrowed.setOrgModelAccess).toEqual({
      orgId: org,
      allModels: false,
      models: [{ name: 'm-a' }, { name: 'm-c' }],
    });
    let snap = await snapshotAfterChange();
    expect(snap.orgs[org].allowedModels).toEqual(['m-a', 'm-c']);
    expect(snap.orgs[other].allowedModels).toBeUndefined();

    // Platform admins list what an org may use with orgId.
    const forOrg = await must<{ models: { nodes: { name: string }[] } }>(
      t.app.gql('query($o: ID) { models(orgId: $o) { nodes { name } } }', { o: org }),
    );
    expect(names(forOrg)).toEqual(['m-a', 'm-c']);

    await must(t.app.gql(setAccess, { i: { orgId: org, allModels: false, modelNames: [] } }));
    expect((await snapshotAfterChange()).orgs[org].allowedModels).toEqual([]);

    await must(t.app.gql(setAccess, { i: { orgId: org, allModels: true } }));
    snap = await snapshotAfterChange();
    expect(snap.orgs[org].allowedModels).toBeUndefined();

    const events = await t.db.query<{ action: string; org_id: string; before: unknown; after: unknown }>(
      "select action, org_id, before, after from audit_events where action = 'organization.setModelAccess' order by id",
    );
    expect(events.map((e) => e.after)).toEqual([
      { allModels: false, models: ['m-a', 'm-c'] },
      { allModels: false, models: [] },
      { allModels: true, models: null },
    ]);
    expect(events[0]).toMatchObject({ org_id: org, before: { allModels: true, models: null } });
  });

  it('validates the input with field paths', async () => {
    const org = await createOrg(t.app, 'Validated');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ orgId: org, allModels: true, modelNames: [] }, 'BAD_USER_INPUT', 'input.modelNames'],
      [{ orgId: org, allModels: false }, 'BAD_USER_INPUT', 'input.modelNames'],
      [{ orgId: org, allModels: false, modelNames: ['m-a', 'm-a'] }, 'BAD_USER_INPUT', 'input.modelNames.1'],
      [{ orgId: org, allModels: false, modelNames: ['m-a', 'no-such'] }, 'NOT_FOUND', 'input.modelNames.1'],
      [{ orgId: '00000000-0000-4000-8000-000000000000', allModels: true }, 'NOT_FOUND', 'input.orgId'],
    ];
    for (const [i, code, field] of cases) {
      expect(ext(await t.app.gql(setAccess, { i })), JSON.stringify(i)).toEqual({ code, field });
    }
  });

  it('org admins and viewers see their own org’s models only, and cannot change availability', async () => {
    const org = await createOrg(t.app, 'Scoped Readers');
    const foreign = await createOrg(t.app, 'Foreign');
    await must(t.app.gql(setAccess, { i: { orgId: org, allModels: false, modelNames: ['m-b'] } }));
    for (const role of ['ORG_ADMIN', 'ORG_VIEWER']) {
      const token = await tokenFor(org, role);
      const own = await t.app.gql<{ models: { nodes: { name: string }[] } }>(
        '{ models { nodes { name } } }',
        {},
        token,
      );
      expect(names(own.data)).toEqual(['m-b']);
      const explicit = await t.app.gql<{ models: { nodes: { name: string }[] } }>(
        'query($o: ID) { models(orgId: $o) { nodes { name } } }',
        { o: org },
        token,
      );
      expect(names(explicit.data)).toEqual(['m-b']);
      const [hidden] = await t.db.query<{ id: string }>("select id from models where name = 'm-a'");
      const single = await t.app.gql<{ model: unknown }>(
        'query($id: ID!) { model(id: $id) { name } }',
        { id: hidden.id },
        token,
      );
      expect(single.data?.model).toBeNull();
      expect(
        ext(await t.app.gql('query($o: ID) { models(orgId: $o) { totalCount } }', { o: foreign }, token)),
      ).toMatchObject({ code: 'FORBIDDEN' });
      expect(ext(await t.app.gql(setAccess, { i: { orgId: org, allModels: true } }, token))).toMatchObject({
        code: 'FORBIDDEN',
      });
      const access = await t.app.gql<{ organization: { modelAccess: unknown } }>(readAccess, { id: org }, token);
      expect(access.errors).toBeUndefined();
      expect(access.data?.organization.modelAccess).toEqual({ allModels: false, models: [{ name: 'm-b' }] });
    }
  });
});
