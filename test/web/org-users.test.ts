// Issue 4, org panel › users: an org admin creates users in teams (client rules first, the server's duplicate email
// under the email field), filters the list by text, status and team, pages through it, edits a user's name, email
// and teams, suspends, reactivates and deletes behind confirmations, and reads a user's page; a viewer reads the
// same without a write control. Every change is checked against the API.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, GraphQLRequestError, gqlClient } from '../harness/index.ts';
import { signIn } from './commands/sign-in.ts';
import { laptop, tablet, useBrowser } from './fixtures/browser.ts';
import { type Login, startWebStack, type WebStack } from './fixtures/stack.ts';
import { UserPage } from './pages/org-user-page.ts';
import { UsersPage } from './pages/org-users-page.ts';
import { Shell } from './pages/shell.ts';

interface ApiUser {
  id: string;
  email: string;
  name: string | null;
  status: string;
  teamIds: string[];
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe('org panel: users', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let orgId: string;
  let orgAdmin: Login;
  let viewer: Login;
  const teamIds: Record<string, string> = {};

  const users = async (): Promise<ApiUser[]> =>
    (
      await stack.api<{ users: { nodes: ApiUser[] } }>(
        'query ($o: ID!) { users(orgId: $o, first: 100) { nodes { id email name status teamIds } } }',
        { o: orgId },
      )
    ).users.nodes;
  const userWith = async (email: string) => (await users()).find((u) => u.email === email);
  const createUser = async (email: string, name: string | null, teams: string[] = []) =>
    (
      await stack.api<{ createUser: ApiUser }>(
        'mutation ($i: CreateUserInput!) { createUser(input: $i) { id email name status teamIds } }',
        { i: { orgId, email, name, teamIds: teams.map((t) => teamIds[t]) } },
      )
    ).createUser;

  beforeAll(async () => {
    stack = await startWebStack({ name: 'org-users' });
    const { createOrganization } = await stack.api<{ createOrganization: { id: string } }>(
      'mutation { createOrganization(input: { name: "Initrode" }) { id } }',
    );
    orgId = createOrganization.id;
    for (const name of ['Platform', 'Billing', 'Support']) {
      const { createTeam } = await stack.api<{ createTeam: { id: string } }>(
        'mutation ($o: ID!, $n: String!) { createTeam(input: { orgId: $o, name: $n }) { id } }',
        { o: orgId, n: name },
      );
      teamIds[name] = createTeam.id;
    }
    orgAdmin = await stack.createAdmin('ORG_ADMIN', orgId, 'admin@initrode.test');
    viewer = await stack.createAdmin('ORG_VIEWER', orgId, 'viewer@initrode.test');
    await createUser('peter@initrode.test', 'Peter Gibbons', ['Platform']);
    await createUser('samir@initrode.test', 'Samir', ['Platform', 'Billing']);
    await createUser('joanna@initrode.test', null, ['Support']);
    // Another org's user with a matching name must never show up here.
    const { createOrganization: other } = await stack.api<{ createOrganization: { id: string } }>(
      'mutation { createOrganization(input: { name: "Chotchkies" }) { id } }',
    );
    await stack.api('mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { orgId: other.id, email: 'peter@chotchkies.test', name: 'Peter Other' },
    });
  });

  afterAll(() => stack?.stop());

  it('an org admin creates a user in teams: client rules first, a taken email under the email field', async () => {
    const session = await browser.newSession({ label: 'org admin', baseURL: stack.web.url });
    const { page } = session;
    let creates = 0;
    page.on('request', (r) => {
      if ((r.postData() ?? '').includes('mutation CreateOrgUser')) creates += 1;
    });
    await signIn(page, orgAdmin);
    const shell = new Shell(page);
    await shell.go('Users');
    const list = new UsersPage(page);
    await list.waitForLoaded();
    expect(await list.emails()).toEqual(['peter@initrode.test', 'samir@initrode.test', 'joanna@initrode.test']);
    expect(await list.count('samir@initrode.test', 'Teams')).toBe(2);

    const form = await list.startCreate();
    await expect.poll(() => form.focused()).toBe('user-email');
    await form.submit();
    await expect.poll(() => form.message('Email')).toBe('Email is required.');
    await form.input('Email').fill('milton at initrode');
    await form.input('Name').fill('n'.repeat(201));
    await form.submit();
    await expect.poll(() => form.message('Email')).toBe('Enter an email address such as name@example.com.');
    await expect.poll(() => form.message('Name')).toBe('Name must be at most 200 characters.');
    expect(await form.focused()).toBe('user-email');
    expect(creates).toBe(0);

    // An email already used in this org: the server's refusal lands under the field.
    await form.input('Email').fill('PETER@initrode.test');
    await form.input('Name').fill('Milton Waddams');
    await form.addTeam('Platform');
    await form.addTeam('Billing');
    expect(await form.teams()).toEqual(['Platform', 'Billing']);
    await form.submit();
    await expect.poll(() => form.message('Email')).toContain('already exists in this organization');
    await expect.poll(() => form.focused()).toBe('user-email');
    expect(creates).toBe(1);

    await form.input('Email').fill('milton@initrode.test');
    await form.submit();
    await form.root().waitFor({ state: 'detached' });
    await shell.notice('milton@initrode.test created').waitFor();
    await list.row('milton@initrode.test').waitFor();
    expect(await list.count('milton@initrode.test', 'Teams')).toBe(2);
    const milton = await userWith('milton@initrode.test');
    expect(milton).toMatchObject({ name: 'Milton Waddams', status: 'ACTIVE' });
    expect(milton?.teamIds.sort()).toEqual([teamIds.Platform, teamIds.Billing].sort());
    await session.screenshot('users');
    await session.close();
  });

  it('filters by text, status and team, and pages through the list', async () => {
    const session = await browser.newSession({ label: 'org admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, orgAdmin);
    const list = new UsersPage(page);
    await list.open(orgId);

    // Text matches name or email, in this org only.
    await list.search().fill('peter');
    await expect.poll(() => list.emails()).toEqual(['peter@initrode.test']);
    await list.search().fill('SAMIR@');
    await expect.poll(() => list.emails()).toEqual(['samir@initrode.test']);
    await list.search().fill('');
    await expect.poll(async () => (await list.emails()).length).toBe(await users().then((u) => u.length));

    // Team: its members only; with a text search too.
    await list.filterTeam('Billing');
    await expect
      .poll(async () => (await list.emails()).sort())
      .toEqual(
        (await users())
          .filter((u) => u.teamIds.includes(teamIds.Billing))
          .map((u) => u.email)
          .sort(),
      );
    await list.search().fill('samir');
    await expect.poll(() => list.emails()).toEqual(['samir@initrode.test']);
    await list.search().fill('joanna');
    await page.getByText('No user matches these filters.').waitFor();
    await list.search().fill('');
    await list.clearFilter('team');

    // Status: a suspended user alone.
    const suspended = await createUser('bob@initrode.test', 'Bob Slydell');
    await stack.api('mutation ($id: ID!) { suspendUser(id: $id) { id } }', { id: suspended.id });
    await list.filterStatus('Suspended');
    await expect.poll(() => list.emails()).toEqual(['bob@initrode.test']);
    await list.clearFilter('status');

    // More users than a page: 25 a page, in the API's order, forward and back.
    for (let i = 1; i <= 24; i++) await createUser(`temp${String(i).padStart(2, '0')}@initrode.test`, null);
    const all = (await users()).map((u) => u.email);
    expect(all.length).toBeGreaterThan(25);
    await page.reload();
    await list.waitForLoaded();
    expect(await list.range().textContent()).toBe(`1–25 of ${all.length}`);
    await expect.poll(() => list.emails()).toEqual(all.slice(0, 25));
    await list.turnPage('Next');
    await expect.poll(() => list.range().textContent()).toBe(`26–${all.length} of ${all.length}`);
    await expect.poll(() => list.emails()).toEqual(all.slice(25));
    expect(await list.pageButton('Next').isDisabled()).toBe(true);
    await list.turnPage('Previous');
    await expect.poll(() => list.emails()).toEqual(all.slice(0, 25));
    // A filter starts again from the first page.
    await list.turnPage('Next');
    await expect.poll(() => list.range().textContent()).toBe(`26–${all.length} of ${all.length}`);
    await list.search().fill('temp1');
    await expect.poll(() => list.range().textContent()).toBe('1–10 of 10');
    await session.close();
  });

  it('edits a user’s name, email and teams, suspends, reactivates and deletes from the list', async () => {
    const michael = await createUser('michael@initrode.test', 'Michael Bolton', ['Platform']);
    const session = await browser.newSession({ label: 'org admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, orgAdmin);
    const list = new UsersPage(page);
    await list.open(orgId);
    await list.search().fill('michael');
    await list.row('michael@initrode.test').waitFor();

    // The dialog opens with the user's values and teams.
    const form = await list.edit('michael@initrode.test');
    await expect.poll(() => form.teams()).toEqual(['Platform']);
    expect(await form.input('Email').inputValue()).toBe('michael@initrode.test');
    expect(await form.input('Name').inputValue()).toBe('Michael Bolton');
    // Taken email: refused under the field, nothing else changed.
    await form.input('Email').fill('samir@initrode.test');
    await form.submit();
    await expect.poll(() => form.message('Email')).toContain('already exists in this organization');
    expect((await userWith('michael@initrode.test'))?.teamIds).toEqual([teamIds.Platform]);

    await form.input('Email').fill('mbolton@initrode.test');
    await form.input('Name').fill('');
    await form.removeTeam('Platform');
    await form.addTeam('Support');
    await form.submit();
    await form.root().waitFor({ state: 'detached' });
    await list.search().fill('bolton');
    await list.row('mbolton@initrode.test').waitFor();
    expect(await userWith('mbolton@initrode.test')).toMatchObject({
      id: michael.id,
      name: null,
      teamIds: [teamIds.Support],
    });

    // Suspend: cancel first, then confirm; the row and the API agree. Reactivate.
    let confirm = await list.rowAction('mbolton@initrode.test', 'Suspend');
    await confirm.waitFor('Suspend mbolton@initrode.test?');
    await confirm.cancel();
    expect((await userWith('mbolton@initrode.test'))?.status).toBe('ACTIVE');
    confirm = await list.rowAction('mbolton@initrode.test', 'Suspend');
    expect(await confirm.root().textContent()).toContain('keys stop working on every data plane');
    await confirm.confirm();
    await list.status('mbolton@initrode.test').filter({ hasText: 'Suspended' }).waitFor();
    expect((await userWith('mbolton@initrode.test'))?.status).toBe('SUSPENDED');
    confirm = await list.rowAction('mbolton@initrode.test', 'Reactivate');
    await confirm.confirm();
    await list.status('mbolton@initrode.test').filter({ hasText: 'Active' }).waitFor();
    expect((await userWith('mbolton@initrode.test'))?.status).toBe('ACTIVE');

    // Delete: cancel keeps, confirm removes; their keys are revoked.
    const key = await createKey(stack.api, { orgId, userId: michael.id, name: 'bolton-key' });
    confirm = await list.rowAction('mbolton@initrode.test', 'Delete');
    await confirm.waitFor('Delete mbolton@initrode.test?');
    await confirm.cancel();
    expect(await userWith('mbolton@initrode.test')).toBeDefined();
    confirm = await list.rowAction('mbolton@initrode.test', 'Delete');
    expect(await confirm.root().textContent()).toContain('their keys are revoked');
    await confirm.confirm();
    await list.row('mbolton@initrode.test').waitFor({ state: 'detached' });
    expect(await userWith('mbolton@initrode.test')).toBeUndefined();
    const { virtualKey } = await stack.api<{ virtualKey: { status: string } }>(
      'query ($id: ID!) { virtualKey(id: $id) { status } }',
      { id: key.id },
    );
    expect(virtualKey.status).toBe('REVOKED');
    await session.close();
  });

  it('a user’s page: details, team links, keys; edit, suspend and delete from there', async () => {
    const lumbergh = await createUser('bill@initrode.test', 'Bill Lumbergh', ['Platform', 'Billing']);
    await createKey(stack.api, { orgId, userId: lumbergh.id, name: 'tps-reports' });
    await createKey(stack.api, { orgId, userId: lumbergh.id, teamId: teamIds.Billing, name: 'billing-batch' });
    for (const viewport of [laptop, tablet]) {
      const session = await browser.newSession({
        label: `org admin ${viewport.width}`,
        baseURL: stack.web.url,
        viewport,
      });
      const { page } = session;
      await signIn(page, orgAdmin);
      const list = new UsersPage(page);
      await list.open(orgId);
      await list.search().fill('lumbergh');
      await list.openUser('bill@initrode.test');
      const detail = new UserPage(page);
      await detail.waitForLoaded('Bill Lumbergh (bill@initrode.test)');
      expect(detail.userId()).toBe(lumbergh.id);
      expect(await new Shell(page).activeItem()).toBe('Users');
      expect(await detail.email().textContent()).toBe('bill@initrode.test');
      expect(await detail.status().textContent()).toBe('Active');
      expect((await detail.teams()).sort()).toEqual(['Billing', 'Platform']);
      expect((await detail.keyNames()).sort()).toEqual(['billing-batch', 'tps-reports']);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await session.screenshot('user-detail');
      await list.open(orgId);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await session.screenshot('users');
      await session.close();
    }

    const session = await browser.newSession({ label: 'org admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, orgAdmin);
    const detail = new UserPage(page);
    await detail.open(orgId, lumbergh.id);
    await detail.waitForLoaded('Bill Lumbergh (bill@initrode.test)');

    const form = await detail.edit();
    await expect.poll(() => form.teams()).toEqual(['Platform', 'Billing']);
    await form.removeTeam('Billing');
    await form.input('Name').fill('William Lumbergh');
    await form.submit();
    await form.root().waitFor({ state: 'detached' });
    await detail.waitForLoaded('William Lumbergh (bill@initrode.test)');
    await expect.poll(() => detail.teams()).toEqual(['Platform']);
    expect((await userWith('bill@initrode.test'))?.teamIds).toEqual([teamIds.Platform]);

    let confirm = await detail.lifecycle('Suspend');
    await confirm.confirm();
    await expect.poll(() => detail.status().textContent()).toBe('Suspended');
    expect((await userWith('bill@initrode.test'))?.status).toBe('SUSPENDED');

    // A team link leads to the team's page.
    await page.getByTestId('user-teams').getByRole('link', { name: 'Platform' }).click();
    await page.waitForURL(`**/orgs/${orgId}/teams/${teamIds.Platform}`);
    await page.goBack();
    await detail.waitForLoaded('William Lumbergh (bill@initrode.test)');

    confirm = await detail.lifecycle('Delete');
    await confirm.waitFor('Delete William Lumbergh (bill@initrode.test)?');
    await confirm.confirm();
    await page.waitForURL(`**/orgs/${orgId}/users`);
    await new UsersPage(page).waitForLoaded();
    expect(await userWith('bill@initrode.test')).toBeUndefined();
    // The deleted user's page says so.
    await detail.open(orgId, lumbergh.id);
    await page.getByText('User not found').waitFor();
    await session.close();
  });

  it('a viewer reads users and a user’s page without any write control; the API refuses their writes', async () => {
    const session = await browser.newSession({ label: 'viewer', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, viewer);
    const list = new UsersPage(page);
    await list.open(orgId);
    expect(await list.emails()).toContain('peter@initrode.test');
    expect(await list.newUserButton().count()).toBe(0);
    expect(await list.actionButtons().count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    await list.openUser('peter@initrode.test');
    const detail = new UserPage(page);
    await detail.waitForLoaded('Peter Gibbons (peter@initrode.test)');
    expect(await detail.writeButtons().count()).toBe(0);

    const asViewer = gqlClient(stack.cp.graphqlUrl, await stack.login(viewer));
    const peter = await userWith('peter@initrode.test');
    const refused = await asViewer('mutation ($id: ID!) { suspendUser(id: $id) { id } }', { id: peter?.id }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect((refused as GraphQLRequestError).codes).toEqual(['FORBIDDEN']);
    await session.close();
  });
});
