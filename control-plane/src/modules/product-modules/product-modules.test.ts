// The module catalogue and per-org enablements: platform admins manage them, org roles see their org's modules;
// stable unique keys, model restrictions checked against real models, lifecycle and the delete cascade.
import { describe, expect, it } from 'vitest';
import { createCredentialAndModel, createKey, createOrg, createTeam, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { codeOf, errorOf, expectAudited, tokenFor } from '../../test-support/tenancy.ts';

const t = useApiSuite();

const createModule = 'mutation($i: CreateModuleInput!) { createModule(input: $i) { id key name description status } }';
const enable =
  'mutation($i: ModuleEnablementInput!) { enableModule(input: $i) { id orgId moduleId allowedModels module { key } } }';

async function newModule(key: string, name = key): Promise<string> {
  const r = await must<{ createModule: { id: string } }>(t.app.gql(createModule, { i: { key, name } }));
  return r.createModule.id;
}

describe('module catalogue', () => {
  it('creates modules with stable unique keys, updates, suspends and lists them', async () => {
    const made = await expectAudited(t, 'module.create', () =>
      t.app.gql<{ createModule: Record<string, unknown> }>(createModule, {
        i: { key: 'document-analysis', name: 'Document analysis', description: 'PDF and scans' },
      }),
    );
    expect(made.data.createModule).toMatchObject({
      key: 'document-analysis',
      name: 'Document analysis',
      description: 'PDF and scans',
      status: 'ACTIVE',
    });
    expect(made.event.org_id).toBeNull();
    const id = made.data.createModule.id as string;
    expect(errorOf(await t.app.gql(createModule, { i: { key: 'document-analysis', name: 'x' } }))).toEqual({
      code: 'CONFLICT',
      field: 'input.key',
    });
    expect(errorOf(await t.app.gql(createModule, { i: { key: 'Bad Key', name: 'x' } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.key',
    });
    const [{ version: v0 }] = await t.db.query('select version::int from config_state');
    const updated = await expectAudited(t, 'module.update', () =>
      t.app.gql<{ updateModule: { name: string; key: string; description: string | null } }>(
        'mutation($id: ID!) { updateModule(id: $id, input: { name: "Docs", description: null }) { name key description } }',
        { id },
      ),
    );
    expect(updated.data.updateModule).toEqual({ name: 'Docs', key: 'document-analysis', description: null });
    const [{ version: v1 }] = await t.db.query('select version::int from config_state');
    expect(v1).toBe(v0);
    await expectAudited(t, 'module.suspend', () =>
      t.app.gql('mutation($id: ID!) { suspendModule(id: $id) { status } }', { id }),
    );
    await newModule('chat', 'Chat');
    const suspended = await must<{ modules: { nodes: { key: string }[] } }>(
      t.app.gql('{ modules(filter: { status: SUSPENDED }) { nodes { key } } }'),
    );
    expect(suspended.modules.nodes.map((m) => m.key)).toEqual(['document-analysis']);
    await expectAudited(t, 'module.reactivate', () =>
      t.app.gql('mutation($id: ID!) { reactivateModule(id: $id) { status } }', { id }),
    );
    const all = await must<{ modules: { totalCount: number } }>(
      t.app.gql('{ modules(filter: { search: "CHA" }) { totalCount } }'),
    );
    expect(all.modules.totalCount).toBe(1);
  });

  it('enables a module for an org with an optional model restriction; org roles see only what is enabled', async () => {
    await createCredentialAndModel(t.app, 'gpt-4o-mini');
    const orgId = await createOrg(t.app, 'Modular');
    const otherOrg = await createOrg(t.app, 'Not Modular');
    const chat = await newModule('chat-2', 'Chat');
    const hidden = await newModule('hidden', 'Hidden');
    const { data } = await expectAudited(t, 'module.enable', () =>
      t.app.gql<{ enableModule: Record<string, unknown> }>(enable, {
        i: { orgId, moduleId: chat, allowedModels: ['gpt-4o-mini'] },
      }),
    );
    expect(data.enableModule).toMatchObject({
      orgId,
      moduleId: chat,
      allowedModels: ['gpt-4o-mini'],
      module: { key: 'chat-2' },
    });
    expect(errorOf(await t.app.gql(enable, { i: { orgId, moduleId: chat } }))).toEqual({
      code: 'CONFLICT',
      field: 'input.moduleId',
    });
    expect(errorOf(await t.app.gql(enable, { i: { orgId, moduleId: hidden, allowedModels: ['nope'] } }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.allowedModels.0',
    });
    const changed = await expectAudited(t, 'module.updateEnablement', () =>
      t.app.gql<{ updateModuleEnablement: { allowedModels: string[] | null } }>(
        'mutation($i: ModuleEnablementInput!) { updateModuleEnablement(input: $i) { allowedModels } }',
        { i: { orgId, moduleId: chat, allowedModels: null } },
      ),
    );
    expect(changed.data.updateModuleEnablement.allowedModels).toBeNull();
    const orgModules = await must<{ organization: { modules: { nodes: { module: { key: string } }[] } } }>(
      t.app.gql('query($id: ID!) { organization(id: $id) { modules { nodes { module { key } } } } }', { id: orgId }),
    );
    expect(orgModules.organization.modules.nodes.map((m) => m.module.key)).toEqual(['chat-2']);
    const byModule = await must<{ organizations: { nodes: { id: string }[] } }>(
      t.app.gql('query($m: ID!) { organizations(filter: { moduleId: $m }) { nodes { id } } }', { m: chat }),
    );
    expect(byModule.organizations.nodes.map((o) => o.id)).toEqual([orgId]);

    const viewer = await tokenFor(t, 'ORG_VIEWER', orgId);
    const seen = await must<{ modules: { nodes: { id: string }[] } }>(
      t.app.gql('{ modules { nodes { id } } }', {}, viewer),
    );
    expect(seen.modules.nodes.map((m) => m.id)).toEqual([chat]);
    expect((await t.app.gql('query($id: ID!) { module(id: $id) { id } }', { id: hidden }, viewer)).data).toEqual({
      module: null,
    });
    const admin = await tokenFor(t, 'ORG_ADMIN', orgId);
    for (const [doc, vars] of [
      [createModule, { i: { key: 'sneaky', name: 's' } }],
      [enable, { i: { orgId, moduleId: hidden } }],
      [enable, { i: { orgId: otherOrg, moduleId: chat } }],
      ['mutation($o: ID!, $m: ID!) { disableModule(orgId: $o, moduleId: $m) }', { o: orgId, m: chat }],
      ['mutation($id: ID!) { suspendModule(id: $id) { id } }', { id: chat }],
    ] as const) {
      expect(codeOf(await t.app.gql(doc, vars, admin))).toBe('FORBIDDEN');
    }

    // Disabling is idempotent; a key bound to the module can only be created while it is enabled.
    const teamId = await createTeam(t.app, orgId);
    await createKey(t.app, { orgId, teamId, moduleId: chat });
    const disable = 'mutation($o: ID!, $m: ID!) { disableModule(orgId: $o, moduleId: $m) }';
    expect((await expectAudited(t, 'module.disable', () => t.app.gql(disable, { o: orgId, m: chat }))).data).toEqual({
      disableModule: true,
    });
    expect((await expectAudited(t, 'module.disable', () => t.app.gql(disable, { o: orgId, m: chat }))).data).toEqual({
      disableModule: false,
    });
    const bound = await t.app.gql('mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { secret } }', {
      i: { orgId, teamId, name: 'late', moduleId: chat },
    });
    expect(errorOf(bound)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.moduleId' });
  });

  it('deleting a module removes its enablements and revokes its keys; its key can be reused', async () => {
    const orgId = await createOrg(t.app, 'Module Doom');
    const doomed = await newModule('doomed');
    await must(t.app.gql(enable, { i: { orgId, moduleId: doomed } }));
    const key = await createKey(t.app, { orgId, moduleId: doomed });
    const deleted = await expectAudited(t, 'module.delete', () =>
      t.app.gql<{ deleteModule: string }>('mutation($id: ID!) { deleteModule(id: $id) }', { id: doomed }),
    );
    expect(deleted.event.after).toMatchObject({ disabledIn: 1, revokedKeys: 1 });
    const after = await must<{ module: null; virtualKey: { status: string; moduleId: string } }>(
      t.app.gql('query($m: ID!, $k: ID!) { module(id: $m) { id } virtualKey(id: $k) { status moduleId } }', {
        m: doomed,
        k: key.id,
      }),
    );
    expect(after).toEqual({ module: null, virtualKey: { status: 'REVOKED', moduleId: doomed } });
    await newModule('doomed');
  });
});
