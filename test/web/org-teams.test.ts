// Issue 4, org panel: teams (list, create, rename, suspend, delete, members), modules and models, in a real browser
// against a real control plane. An org admin manages teams and their members; a viewer reads teams, modules and
// models without a single write control; only a platform admin may change the org's modules and models.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createModule, GraphQLRequestError, gqlClient } from '../harness/index.ts';
import { createTeam } from './commands/org-teams.ts';
import { signIn } from './commands/sign-in.ts';
import { laptop, tablet, useBrowser } from './fixtures/browser.ts';
import { holdRequest } from './fixtures/held-request.ts';
import { type Login, startWebStack, type WebStack } from './fixtures/stack.ts';
import { OrgModelsPage, OrgModulesPage } from './pages/org-catalog-pages.ts';
import { TeamPage } from './pages/org-team-page.ts';
import { TeamsPage } from './pages/org-teams-page.ts';
import { UsersPage } from './pages/org-users-page.ts';
import { Shell } from './pages/shell.ts';
import { field, openSelectMenu } from './pages/widgets.ts';

interface ApiTeam {
  id: string;
  name: string;
  status: string;
}

/** The page is no wider than the window: nothing to scroll sideways at this width. */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe('org panel: teams, modules and models', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let orgId: string;
  let orgAdmin: Login;
  let viewer: Login;
  let operations: string;
  let ops: { id: string; email: string };

  const teams = async (): Promise<ApiTeam[]> =>
    (
      await stack.api<{ teams: { nodes: ApiTeam[] } }>(
        'query ($o: ID!) { teams(orgId: $o, first: 100) { nodes { id name status } } }',
        { o: orgId },
      )
    ).teams.nodes;
  const teamNamed = async (name: string) => (await teams()).find((t) => t.name === name);
  const teamIdsOf = async (userId: string): Promise<string[]> =>
    (await stack.api<{ user: { teamIds: string[] } }>('query ($id: ID!) { user(id: $id) { teamIds } }', { id: userId }))
      .user.teamIds;

  beforeAll(async () => {
    stack = await startWebStack({
      name: 'org-teams',
      models: [
        {
          name: 'gpt-fixture',
          upstreamModel: 'fixture-model',
          inputPricePerMTok: 0.15,
          outputPricePerMTok: 0.6,
          cachedInputPricePerMTok: 0.075,
        },
        { name: 'gpt-large', upstreamModel: 'fixture-model', inputPricePerMTok: 2.5, outputPricePerMTok: 10 },
      ],
    });
    const { createOrganization } = await stack.api<{ createOrganization: { id: string } }>(
      'mutation { createOrganization(input: { name: "Acme Teams" }) { id } }',
    );
    orgId = createOrganization.id;
    orgAdmin = await stack.createAdmin('ORG_ADMIN', orgId, 'admin@acme-teams.test');
    viewer = await stack.createAdmin('ORG_VIEWER', orgId, 'viewer@acme-teams.test');

    // A team the viewer can read whatever the admin's journey does: one member, a team key and a user key
    // attributed to the team.
    const { createTeam: team } = await stack.api<{ createTeam: { id: string } }>(
      'mutation ($o: ID!) { createTeam(input: { orgId: $o, name: "Operations" }) { id } }',
      { o: orgId },
    );
    operations = team.id;
    const { createUser } = await stack.api<{ createUser: { id: string; email: string } }>(
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id email } }',
      { i: { orgId, email: 'ops@acme-teams.test', name: 'Ops', teamIds: [operations] } },
    );
    ops = createUser;
    await createKey(stack.api, { orgId, teamId: operations, name: 'ops-batch' });
    await createKey(stack.api, { orgId, userId: ops.id, teamId: operations, name: 'ops-notebook' });

    // Two modules (one held to a model), and the org held to one of the two models.
    await createModule(stack.api, { key: 'chat', name: 'Chat', orgId, allowedModels: ['gpt-fixture'] });
    await createModule(stack.api, { key: 'docs', name: 'Document analysis', orgId });
    await stack.api('mutation ($i: SetOrgModelAccessInput!) { setOrgModelAccess(input: $i) { allModels } }', {
      i: { orgId, allModels: false, modelNames: ['gpt-fixture'] },
    });
  });

  afterAll(() => stack?.stop());

  it('an org admin creates teams, puts users in them, renames, suspends and deletes them', async () => {
    const session = await browser.newSession({ label: 'org admin', baseURL: stack.web.url });
    const { page } = session;
    const shell = new Shell(page);
    await signIn(page, orgAdmin);
    await shell.go('Teams');
    const list = new TeamsPage(page);
    await list.waitForLoaded();

    // The seeded team with its counts: one member, two active keys (its own and a member's attributed to it).
    expect(await list.names()).toEqual(['Operations']);
    expect(await list.count('Operations', 'Members')).toBe(1);
    expect(await list.count('Operations', 'Active keys')).toBe(2);

    await createTeam(page, 'Research');
    await shell.notice('Research created').waitFor();
    expect(await list.count('Research', 'Members')).toBe(0);
    expect(await list.count('Research', 'Active keys')).toBe(0);
    const research = await teamNamed('Research');
    expect(research?.status).toBe('ACTIVE');

    // Names are unique in the org whatever the case: the server's refusal lands under the Name field.
    const duplicate = await list.startCreate();
    await duplicate.submit('research');
    await expect.poll(() => duplicate.nameInvalid()).toBe(true);
    await expect.poll(() => duplicate.nameMessage().textContent()).toContain('already exists');
    await expect.poll(() => duplicate.nameFocused()).toBe(true);
    await duplicate.cancel();
    expect((await teams()).filter((t) => t.name.toLowerCase() === 'research')).toHaveLength(1);

    // A user created on the Users page straight into the team.
    await shell.go('Users');
    const users = new UsersPage(page);
    await users.waitForLoaded();
    await users.create({ email: 'ada@acme-teams.test', name: 'Ada', teams: ['Research'] });
    await users.row('ada@acme-teams.test').waitFor();
    const { users: found } = await stack.api<{ users: { nodes: { id: string; teamIds: string[] }[] } }>(
      'query ($o: ID!) { users(orgId: $o, filter: { search: "ada@" }) { nodes { id teamIds } } }',
      { o: orgId },
    );
    const ada = found.nodes[0];
    expect(ada?.teamIds).toEqual([research?.id]);

    await shell.go('Teams');
    await list.waitForLoaded();
    expect(await list.count('Research', 'Members')).toBe(1);
    await list.openTeam('Research');
    const team = new TeamPage(page);
    await team.waitForLoaded('Research');
    expect(team.teamId()).toBe(research?.id);
    expect(await team.memberEmails()).toEqual(['ada@acme-teams.test']);

    // Adding someone already in the team is pointed out before anything is sent.
    await team.addMember('Ada (ada@acme-teams.test)', 'ada');
    await expect.poll(() => team.userInvalid()).toBe(true);
    await expect.poll(() => team.userMessage().textContent()).toBe('Already a member of this team.');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await team.addMemberForm().waitFor({ state: 'detached' });

    // Users may belong to several teams: Ops joins Research and stays in Operations.
    await team.addMember('Ops (ops@acme-teams.test)', 'ops');
    await team.addMemberForm().waitFor({ state: 'detached' });
    await team.member('ops@acme-teams.test').waitFor();
    expect(await team.member('ops@acme-teams.test').locator('td').nth(2).textContent()).toBe('2');
    await expect.poll(() => team.memberCount().textContent()).toBe('2');
    expect((await teamIdsOf(ops.id)).sort()).toEqual([operations, research?.id].sort());

    // Removing asks first; cancelling keeps the member.
    let confirm = await team.removeMember('ops@acme-teams.test');
    await confirm.waitFor('Remove Ops (ops@acme-teams.test) from Research?');
    await confirm.cancel();
    expect(await teamIdsOf(ops.id)).toHaveLength(2);
    confirm = await team.removeMember('ops@acme-teams.test');
    expect(await confirm.root().textContent()).toContain('keep working without that attribution');
    await confirm.confirm();
    await team.member('ops@acme-teams.test').waitFor({ state: 'detached' });
    expect(await teamIdsOf(ops.id)).toEqual([operations]);

    // Rename from the team's page.
    const rename = await team.rename();
    await rename.submit('Research & Development');
    await rename.root().waitFor({ state: 'detached' });
    await team.waitForLoaded('Research & Development');
    expect((await teamNamed('Research & Development'))?.id).toBe(research?.id);

    // A user's page links their teams to the team's page.
    await shell.go('Users');
    await users.waitForLoaded();
    await users.openUser('ada@acme-teams.test');
    await page.getByTestId('user-teams').getByRole('link', { name: 'Research & Development' }).click();
    await team.waitForLoaded('Research & Development');
    await page.waitForURL(`**/orgs/${orgId}/teams/${research?.id}`);

    // A key of the team, listed on its page (read-only).
    await createKey(stack.api, { orgId, teamId: research?.id, name: 'research-batch' });
    await page.reload();
    await team.waitForLoaded('Research & Development');
    expect(await team.keyNames()).toEqual(['research-batch']);
    await session.screenshot('org-team-detail');

    // Suspend from the list, reactivate from the team's page, each after a confirmation.
    await shell.go('Teams');
    await list.waitForLoaded();
    confirm = await list.rowAction('Research & Development', 'Suspend');
    expect(await confirm.root().textContent()).toContain('stop working on every data plane');
    await confirm.confirm();
    await list.status('Research & Development').filter({ hasText: 'Suspended' }).waitFor();
    expect((await teamNamed('Research & Development'))?.status).toBe('SUSPENDED');
    await session.screenshot('org-teams');

    await list.openTeam('Research & Development');
    await team.waitForLoaded('Research & Development');
    confirm = await team.lifecycle('Reactivate');
    await confirm.confirm();
    await team.status().filter({ hasText: 'Active' }).waitFor();
    expect((await teamNamed('Research & Development'))?.status).toBe('ACTIVE');

    // Delete from the team's page: a soft delete (its keys are revoked, usage kept), said in the confirmation.
    confirm = await team.lifecycle('Delete');
    const warning = await confirm.root().textContent();
    expect(warning).toContain('keys are revoked');
    expect(warning).toContain('Usage history is kept');
    await confirm.confirm();
    await page.waitForURL(`**/orgs/${orgId}/teams`);
    await list.waitForLoaded();
    expect(await list.names()).toEqual(['Operations']);
    expect(await teamNamed('Research & Development')).toBeUndefined();
    const { virtualKeys } = await stack.api<{ virtualKeys: { nodes: { name: string; status: string }[] } }>(
      'query ($o: ID!) { virtualKeys(orgId: $o, filter: { search: "research-batch" }) { nodes { name status } } }',
      { o: orgId },
    );
    expect(virtualKeys.nodes).toEqual([{ name: 'research-batch', status: 'REVOKED' }]);
    // Ada stays a user of the org, now in no team.
    expect(await teamIdsOf(ada?.id ?? '')).toEqual([]);

    // Delete from the list: cancel keeps it, confirm removes it.
    await createTeam(page, 'Temporary');
    confirm = await list.rowAction('Temporary', 'Delete');
    await confirm.cancel();
    expect(await teamNamed('Temporary')).toBeDefined();
    confirm = await list.rowAction('Temporary', 'Delete');
    await confirm.confirm();
    await list.row('Temporary').waitFor({ state: 'detached' });
    expect(await teamNamed('Temporary')).toBeUndefined();

    // Rename from the list, with the same duplicate rule.
    await createTeam(page, 'Support');
    const form = await list.rename('Support');
    expect(await form.name().inputValue()).toBe('Support');
    await form.submit('OPERATIONS');
    await expect.poll(() => form.nameInvalid()).toBe(true);
    await form.submit('Customer support');
    await form.root().waitFor({ state: 'detached' });
    await list.row('Customer support').waitFor();
    expect((await teams()).map((t) => t.name).sort()).toEqual(['Customer support', 'Operations']);
    await session.close();
  });

  it('works at tablet width: lists and the team page fit, controls reachable', async () => {
    const session = await browser.newSession({ label: 'org admin (tablet)', baseURL: stack.web.url, viewport: tablet });
    const { page } = session;
    await signIn(page, orgAdmin);
    const list = new TeamsPage(page);
    await list.open(orgId);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await list.newTeamButton().isVisible()).toBe(true);
    expect(await list.actionButtons().count()).toBeGreaterThan(0);
    await session.screenshot('org-teams');

    await list.openTeam('Operations');
    const team = new TeamPage(page);
    await team.waitForLoaded('Operations');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await team.button('Add member').isVisible()).toBe(true);
    // The handles the viewer test counts do find the write controls when there are some.
    expect(await team.writeButtons().count()).toBeGreaterThanOrEqual(5);
    expect((await team.keyNames()).sort()).toEqual(['ops-batch', 'ops-notebook']);
    await session.screenshot('org-team-detail');
    await session.close();
  });

  it('pages through a team with more members than a page holds', async () => {
    const { createTeam: big } = await stack.api<{ createTeam: { id: string } }>(
      'mutation ($o: ID!) { createTeam(input: { orgId: $o, name: "Big team" }) { id } }',
      { o: orgId },
    );
    const emails = Array.from({ length: 12 }, (_, i) => `member${String(i + 1).padStart(2, '0')}@acme-teams.test`);
    for (const email of emails) {
      await stack.api('mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { orgId, email, teamIds: [big.id] },
      });
    }
    const session = await browser.newSession({ label: 'org admin (pages)', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, orgAdmin);
    const team = new TeamPage(page);
    await team.open(orgId, big.id);
    await team.waitForLoaded('Big team');
    const range = team.membersRange();
    expect(await range.textContent()).toBe('1–10 of 12');
    const first = await team.memberEmails();
    expect(first).toHaveLength(10);

    // While the next page is on its way, the pager still describes the rows shown; both change together.
    const nextPage = await holdRequest(page, 'OrgTeamMembers', (v) => typeof v.after === 'string');
    await team.membersPage('Next');
    await nextPage.arrived;
    await team.members().locator('.n-data-table--loading').waitFor();
    expect(await range.textContent()).toBe('1–10 of 12');
    expect(await team.memberEmails()).toEqual(first);
    await nextPage.release();
    await team.members().getByText('11–12 of 12', { exact: true }).waitFor();
    const second = await team.memberEmails();
    expect(second).toHaveLength(2);
    expect([...first, ...second].sort()).toEqual(emails);

    const previousPage = await holdRequest(page, 'OrgTeamMembers', (v) => v.after === null);
    await team.membersPage('Previous');
    await previousPage.arrived;
    await team.members().locator('.n-data-table--loading').waitFor();
    expect(await range.textContent()).toBe('11–12 of 12');
    expect(await team.memberEmails()).toEqual(second);
    await previousPage.release();
    await team.members().getByText('1–10 of 12', { exact: true }).waitFor();
    expect(await team.memberEmails()).toEqual(first);
    await session.close();
  });

  it('the member picker lists only the answer to the text typed, never the previous text’s matches', async () => {
    for (const email of ['picker-alpha@acme-teams.test', 'picker-beta@acme-teams.test']) {
      await stack.api('mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { orgId, email } });
    }
    const session = await browser.newSession({ label: 'org admin (picker)', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, orgAdmin);
    const team = new TeamPage(page);
    await team.open(orgId, operations);
    await team.waitForLoaded('Operations');
    await team.button('Add member').click();
    const picker = field(team.addMemberForm(), 'User');
    const options = openSelectMenu(page).locator('.n-base-select-option');
    await picker.locator('input, [tabindex="0"]').first().click();
    await options.first().waitFor();
    expect(await options.count()).toBeGreaterThan(1);

    const answer = await holdRequest(page, 'OrgUserOptions', (v) => v.search === 'picker-beta');
    await picker.locator('input').fill('picker-beta');
    await answer.arrived;
    await openSelectMenu(page).getByText('Searching…', { exact: true }).waitFor();
    expect(await options.count()).toBe(0);
    await answer.release();
    await options.first().waitFor();
    expect(await options.allTextContents()).toEqual(['picker-beta@acme-teams.test']);
    await session.close();
  });

  it('a viewer reads teams, a team, modules and models without any write control', async () => {
    for (const viewport of [laptop, tablet]) {
      const session = await browser.newSession({ label: `viewer ${viewport.width}`, baseURL: stack.web.url, viewport });
      const { page } = session;
      await signIn(page, viewer);

      const list = new TeamsPage(page);
      await list.open(orgId);
      expect(await list.names()).toContain('Operations');
      expect(await list.count('Operations', 'Members')).toBe(1);
      expect(await list.newTeamButton().count()).toBe(0);
      expect(await list.actionButtons().count()).toBe(0);
      expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);

      await list.openTeam('Operations');
      const team = new TeamPage(page);
      await team.waitForLoaded('Operations');
      expect(await team.memberEmails()).toEqual(['ops@acme-teams.test']);
      expect((await team.keyNames()).sort()).toEqual(['ops-batch', 'ops-notebook']);
      expect(await team.writeButtons().count()).toBe(0);

      const modules = new OrgModulesPage(page);
      await modules.open(orgId);
      expect((await modules.keys()).sort()).toEqual(['chat', 'docs']);
      expect(await modules.models('chat')).toBe('gpt-fixture');
      expect(await modules.models('docs')).toBe('Every model the organization may use');
      expect(await modules.writeControls().count()).toBe(0);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await session.screenshot('org-modules');

      const models = new OrgModelsPage(page);
      await models.open(orgId);
      expect(await models.restricted()).toBe(true);
      expect(await models.access().textContent()).toContain('Platform admins choose');
      expect(await models.names()).toEqual(['gpt-fixture']);
      expect((await models.cells('gpt-fixture')).slice(0, 5)).toEqual([
        'gpt-fixture',
        '$0.15',
        '$0.60',
        '$0.075',
        'Restricted list',
      ]);
      expect(await models.changeButton().count()).toBe(0);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await session.screenshot('org-models');

      // The API agrees: a viewer's write is refused (the UI only hides what the API forbids).
      const asViewer = gqlClient(stack.cp.graphqlUrl, await stack.login(viewer));
      const refused = await asViewer('mutation ($o: ID!) { createTeam(input: { orgId: $o, name: "Nope" }) { id } }', {
        o: orgId,
      }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(GraphQLRequestError);
      expect((refused as GraphQLRequestError).codes).toEqual(['FORBIDDEN']);
      await session.close();
    }
  });

  it('an org admin sees modules and models read-only too; a platform admin changes them', async () => {
    const adminSession = await browser.newSession({ label: 'org admin (catalog)', baseURL: stack.web.url });
    await signIn(adminSession.page, orgAdmin);
    const adminModules = new OrgModulesPage(adminSession.page);
    await adminModules.open(orgId);
    expect(await adminModules.writeControls().count()).toBe(0);
    const adminModels = new OrgModelsPage(adminSession.page);
    await adminModels.open(orgId);
    expect(await adminModels.changeButton().count()).toBe(0);
    await adminSession.close();

    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);

    // Back to every model: both models listed, the notice says so.
    const models = new OrgModelsPage(page);
    await models.open(orgId);
    expect(await models.changeButton().count()).toBe(1);
    await models.changeButton().click();
    await models.form().waitFor();
    await models.form().getByText('Every model, including models added later').click();
    await models.form().getByTestId('model-access-submit').click();
    await models.form().waitFor({ state: 'detached' });
    await expect.poll(() => models.restricted()).toBe(false);
    await expect.poll(() => models.names()).toEqual(['gpt-fixture', 'gpt-large']);
    const { organization } = await stack.api<{ organization: { modelAccess: { allModels: boolean } } }>(
      'query ($o: ID!) { organization(id: $o) { modelAccess { allModels } } }',
      { o: orgId },
    );
    expect(organization.modelAccess.allModels).toBe(true);

    // Lift the chat module's model restriction, then disable the docs module (after a confirmation).
    const modules = new OrgModulesPage(page);
    await modules.open(orgId);
    expect(await modules.writeControls().count()).toBe(5);
    await modules.changeModels('chat');
    await modules.enableForm().getByText('Every model the organization may use').click();
    await modules.enableForm().getByTestId('enable-module-submit').click();
    await modules.enableForm().waitFor({ state: 'detached' });
    await expect.poll(() => modules.models('chat')).toBe('Every model the organization may use');

    const confirm = await modules.disable('docs');
    await confirm.waitFor('Disable Document analysis for Acme Teams?');
    await confirm.confirm();
    await modules.row('docs').waitFor({ state: 'detached' });
    const { organization: after } = await stack.api<{
      organization: { modules: { nodes: { allowedModels: string[] | null; module: { key: string } }[] } };
    }>('query ($o: ID!) { organization(id: $o) { modules { nodes { allowedModels module { key } } } } }', { o: orgId });
    expect(after.modules.nodes).toEqual([{ allowedModels: null, module: { key: 'chat' } }]);
    await session.close();
  });
});
