// What the data planes get from the tenancy API: modules, enablements, key owners, module bindings and rotated-out
// secrets in the published snapshot, consistent after every change.
import { snapshotProblems } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../crypto/tokens.ts';
import { createCredentialAndModel, createOrg, createTeam, createUser, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';

const t = useApiSuite();

/** The snapshot this replica publishes, once it has caught up with the database. */
async function published() {
  await must(t.app.gql('{ configState { version } }'));
  const current = t.app.deps.publisher.current();
  if (!current) throw new Error('nothing published');
  expect(snapshotProblems(current.snapshot)).toEqual([]);
  return current.snapshot;
}

describe('tenancy in the snapshot', () => {
  it('publishes modules, enablements, bindings and the rotated-out secret, and follows every change', async () => {
    await createCredentialAndModel(t.app, 'gpt-4o-mini');
    const orgId = await createOrg(t.app, 'Snapshot Org');
    const teamId = await createTeam(t.app, orgId, 'Core');
    const userId = await createUser(t.app, orgId, 'snap@org.io', [teamId]);
    const { createModule } = await must<{ createModule: { id: string } }>(
      t.app.gql('mutation { createModule(input: { key: "chat", name: "Chat" }) { id } }'),
    );
    const moduleId = createModule.id;
    const { enableModule } = await must<{ enableModule: { id: string } }>(
      t.app.gql('mutation($i: ModuleEnablementInput!) { enableModule(input: $i) { id } }', {
        i: { orgId, moduleId, allowedModels: ['gpt-4o-mini'] },
      }),
    );
    const { createVirtualKey } = await must<{ createVirtualKey: { secret: string; virtualKey: { id: string } } }>(
      t.app.gql('mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { secret virtualKey { id } } }', {
        i: { orgId, userId, teamId, moduleId, name: 'bound' },
      }),
    );
    const keyId = createVirtualKey.virtualKey.id;
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const rotated = await must<{ rotateVirtualKey: { secret: string } }>(
      t.app.gql(
        'mutation($id: ID!, $u: DateTime) { rotateVirtualKey(id: $id, previousSecretValidUntil: $u) { secret } }',
        {
          id: keyId,
          u: until,
        },
      ),
    );

    let s = await published();
    expect(s.modules).toEqual({ [moduleId]: { id: moduleId, key: 'chat', status: 'active' } });
    expect(s.orgModules?.[enableModule.id]).toEqual({
      id: enableModule.id,
      orgId,
      moduleId,
      allowedModels: ['gpt-4o-mini'],
    });
    expect(s.keys[keyId]).toMatchObject({
      hash: sha256Hex(rotated.rotateVirtualKey.secret),
      orgId,
      userId,
      teamId,
      moduleId,
      previous: { hash: sha256Hex(createVirtualKey.secret), expiresAt: until },
    });
    expect(JSON.stringify(s)).not.toContain(createVirtualKey.secret);

    await must(t.app.gql('mutation($id: ID!) { suspendModule(id: $id) { id } }', { id: moduleId }));
    s = await published();
    expect(s.modules?.[moduleId].status).toBe('suspended');

    // The user leaves the team: the key stays, without the attribution.
    await must(
      t.app.gql('mutation($t: ID!, $u: ID!) { removeTeamMember(teamId: $t, userId: $u) { user { id } } }', {
        t: teamId,
        u: userId,
      }),
    );
    s = await published();
    expect(s.keys[keyId]).toMatchObject({ userId, teamId: null });
    expect(s.users[userId].teamIds).toEqual([]);

    // Deleting the module takes its enablements and bound keys out; the optional kinds vanish when empty.
    await must(t.app.gql('mutation($id: ID!) { deleteModule(id: $id) }', { id: moduleId }));
    s = await published();
    expect(s.keys[keyId]).toBeUndefined();
    expect(s.modules).toBeUndefined();
    expect(s.orgModules).toBeUndefined();
  });
});
