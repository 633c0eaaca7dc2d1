// Budgets and rate limits in a browser, against a real control plane and data plane: an org admin sets a team's
// budget from the Budgets page and a user's from the user's page, the form refusing bad amounts on the field (its
// own rules and the server's); real traffic through the data plane (the official openai client) fills the user's
// budget until the data plane answers 429 budget_exceeded, and the page shows it full; viewers and org admins read
// what is not theirs to change; a platform admin sees the org on the org list, its overview and the platform's
// Budgets page, and sets an org's time zone and fail-open behaviour.
import { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, GraphQLRequestError, gqlClient, waitFor } from '../harness/index.ts';
import { signIn } from './commands/sign-in.ts';
import { tablet, useBrowser } from './fixtures/browser.ts';
import { type Login, startWebStack, type WebStack } from './fixtures/stack.ts';
import { budgetCardOn, OrgBudgetsPage, PlatformBudgetsPage } from './pages/budgets-page.ts';
import { OrgOverviewPage } from './pages/org-overview-page.ts';
import { TeamPage } from './pages/org-team-page.ts';
import { UserPage } from './pages/org-user-page.ts';
import { OrganizationsPage } from './pages/organizations-page.ts';
import { Shell } from './pages/shell.ts';

interface ApiLimits {
  rpm: number | null;
  tpm: number | null;
  alertThresholds: number[];
  budgets: { period: string; limitUsd: string; spentUsd: string; usedPercent: number }[];
}

const limitsFields = 'rpm tpm alertThresholds budgets { period limitUsd spentUsd usedPercent }';
/**
 * 40 short words: the fixture counts a token per word each way, so a call costs 80 tokens at the model's price
 * ($0.008); the data plane holds a worst case of about 300 tokens (a token per body byte, plus max_tokens) while it
 * runs, so a $0.25 budget is refused at about 90 % spent.
 */
const prompt = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

describe('budgets', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let orgId: string;
  let teamId: string;
  let userId: string;
  let secret: string;
  let orgAdmin: Login;
  let viewer: Login;
  const orgName = 'Budget Works';
  const userEmail = 'ada@budget-works.test';
  const userLabel = `Ada (${userEmail})`;

  const scopeLimits = async (scope: string, scopeId: string): Promise<ApiLimits | null> =>
    (
      await stack.api<{ scopeLimits: ApiLimits | null }>(
        `query ($o: ID!, $s: LimitScope!, $i: ID!) { scopeLimits(orgId: $o, scope: $s, scopeId: $i) { ${limitsFields} } }`,
        { o: orgId, s: scope, i: scopeId },
      )
    ).scopeLimits;
  const setOrgLimits = (budgets: Record<string, string>) =>
    stack.api(
      'mutation ($o: ID!, $i: LimitsInput!) { setLimits(orgId: $o, scope: ORG, scopeId: $o, input: $i) { id } }',
      {
        o: orgId,
        i: { budgets },
      },
    );

  beforeAll(async () => {
    stack = await startWebStack({
      name: 'org-budgets',
      dataPlane: true,
      // An expensive model, so a few dozen calls spend a small budget: $100 per million tokens.
      models: [{ name: 'gpt-budget', upstreamModel: 'fixture-model', inputPricePerMTok: 100, outputPricePerMTok: 100 }],
    });
    const { createOrganization } = await stack.api<{ createOrganization: { id: string } }>(
      'mutation ($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
      { i: { name: orgName } },
    );
    orgId = createOrganization.id;
    const { createTeam } = await stack.api<{ createTeam: { id: string } }>(
      'mutation ($i: CreateTeamInput!) { createTeam(input: $i) { id } }',
      { i: { orgId, name: 'Research' } },
    );
    teamId = createTeam.id;
    const { createUser } = await stack.api<{ createUser: { id: string } }>(
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { orgId, email: userEmail, name: 'Ada', teamIds: [teamId] } },
    );
    userId = createUser.id;
    secret = (await createKey(stack.api, { orgId, userId, teamId, name: 'ada-notebook' })).secret;
    orgAdmin = await stack.createAdmin('ORG_ADMIN', orgId, 'admin@budget-works.test');
    viewer = await stack.createAdmin('ORG_VIEWER', orgId, 'viewer@budget-works.test');
    // The org's own budgets, set by the platform: every budget below may not exceed them.
    await setOrgLimits({ daily: '1', monthly: '100' });
  });

  afterAll(() => stack?.stop());

  it('an org admin sets a team budget on the Budgets page, with the rules on the fields, and cannot change the org’s', async () => {
    const session = await browser.newSession({ label: 'org admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, orgAdmin);
    await new Shell(page).go('Budgets');
    const budgets = new OrgBudgetsPage(page);
    await budgets.waitForLoaded();

    // The org's budgets, read-only for an org admin, with the reason said.
    const org = budgets.card('ORG');
    expect(await org.periods()).toEqual(['DAILY', 'MONTHLY']);
    expect(await org.figure('Monthly', 'limit')).toBe('$100.00');
    expect(await org.figure('Monthly', 'percent')).toBe('0 % used');
    expect(await org.figure('Daily', 'reset')).toMatch(/^Resets .+ UTC$/);
    expect(await org.writeControls().count()).toBe(0);
    await budgets.orgNote().waitFor();
    await page.getByTestId('budgets-empty').waitFor();

    // A team's budget through the picker; the form's own rules first, each on its field, focus on the first.
    const form = await budgets.startNew();
    await form.submit();
    await expect.poll(() => form.invalid('Team')).toBe(true);
    await form.pickIn('Team', 'Research');
    await form.fill({
      'Monthly budget': 'lots',
      'Daily budget': '0',
      'Alert thresholds': '80, 80',
      'Requests per minute': '1.5',
    });
    await form.submit();
    await expect.poll(() => form.invalid('Daily budget')).toBe(true);
    await expect.poll(() => form.message('Daily budget')).toContain('more than $0');
    await expect.poll(() => form.message('Monthly budget')).toContain('amount in USD');
    await expect.poll(() => form.message('Alert thresholds')).toBe('Each threshold once.');
    await expect.poll(() => form.message('Requests per minute')).toContain('whole number');
    expect(await form.focused()).toBe('limits-daily');
    // Above the org's budget of the same period.
    await form.fill({
      'Daily budget': '0.5',
      'Monthly budget': '150.01',
      'Alert thresholds': '50, 80',
      'Requests per minute': '600',
    });
    await form.submit();
    await expect.poll(() => form.invalid('Monthly budget')).toBe(true);
    await expect
      .poll(() => form.message('Monthly budget'))
      .toContain('organization’s budget for this period ($100.00)');
    expect(await form.invalid('Daily budget')).toBe(false);
    await form.fill({ 'Monthly budget': '50' });
    await form.save();
    await new Shell(page).notice('Limits of Research saved').waitFor();

    const team = budgets.card('TEAM', 'Research');
    await team.root.waitFor();
    expect(await team.periods()).toEqual(['DAILY', 'MONTHLY']);
    expect(await team.figure('Daily', 'limit')).toBe('$0.50');
    expect(await team.rates().textContent()).toContain('600 requests per minute');
    expect(await team.alerts().textContent()).toContain('50 %, 80 %');
    expect(await scopeLimits('TEAM', teamId)).toMatchObject({
      rpm: 600,
      tpm: null,
      alertThresholds: [50, 80],
      budgets: expect.arrayContaining([
        expect.objectContaining({ period: 'DAILY', limitUsd: expect.stringMatching(/^0\.50*$/) }),
        expect.objectContaining({ period: 'MONTHLY', limitUsd: expect.stringMatching(/^50(\.0*)?$/) }),
      ]),
    });

    // Picking a scope that has limits fills the form with them; clearing a period removes that budget.
    const again = await budgets.startNew();
    await again.pickIn('Team', 'Research');
    await page.getByTestId('limits-existing').waitFor();
    await expect.poll(() => again.input('Monthly budget').inputValue()).toBe('50');
    await again.fill({ 'Monthly budget': '', 'Tokens per minute': '20000' });
    await again.save();
    await expect.poll(() => team.periods()).toEqual(['DAILY']);
    await expect.poll(async () => (await team.rates().textContent()) ?? '').toContain('20,000 tokens per minute');

    // The API refuses what the UI hides: an org admin cannot set the org's own budget.
    const asAdmin = gqlClient(stack.cp.graphqlUrl, await stack.login(orgAdmin));
    const refused = await asAdmin(
      'mutation ($o: ID!) { setLimits(orgId: $o, scope: ORG, scopeId: $o, input: { budgets: { daily: "5" } }) { id } }',
      { o: orgId },
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect((refused as GraphQLRequestError).codes).toEqual(['FORBIDDEN']);
    await session.screenshot('org-budgets');
    await session.close();
  });

  it('an org admin sets a user’s budget from the user’s page; the server’s refusal lands on the field', async () => {
    const session = await browser.newSession({ label: 'org admin (user)', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, orgAdmin);
    const user = new UserPage(page);
    await user.open(orgId, userId);
    await user.waitForLoaded(userLabel);
    const card = budgetCardOn(page, 'USER');
    await card.none().waitFor();
    expect(await card.none().textContent()).toBe('No budget or rate limit for this user.');

    // The platform lowers the org's monthly budget after this page loaded: the form still allows $80, the server
    // does not, and says so under the Monthly budget field.
    await setOrgLimits({ daily: '1', monthly: '60' });
    const form = await card.edit();
    await form.fill({ 'Monthly budget': '80', 'Total budget': '0.25' });
    await form.submit();
    await expect.poll(() => form.invalid('Monthly budget')).toBe(true);
    await expect.poll(() => form.message('Monthly budget')).toContain('organization');
    expect(await form.invalid('Total budget')).toBe(false);
    expect(await form.formError().count()).toBe(0);
    expect(await scopeLimits('USER', userId)).toBeNull();

    // Within it: saved, and the card shows the budgets.
    await form.fill({ 'Monthly budget': '40' });
    await form.save();
    await new Shell(page).notice('Budget saved').waitFor();
    await expect.poll(() => card.periods()).toEqual(['MONTHLY', 'TOTAL']);
    expect(await card.figure('Total', 'limit')).toBe('$0.25');
    expect(await card.figure('Total', 'reset')).toBe('Never resets');
    expect(await card.figure('Total', 'percent')).toBe('0 % used');
    const saved = await scopeLimits('USER', userId);
    expect(saved?.budgets.map((b) => b.period).sort()).toEqual(['MONTHLY', 'TOTAL']);
    await session.screenshot('org-user-budget');
    await session.close();
  });

  it('real traffic fills the user’s budget until the data plane refuses; the Budgets page shows it full', async () => {
    const session = await browser.newSession({ label: 'org admin (traffic)', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, orgAdmin);
    const budgets = new OrgBudgetsPage(page);
    await budgets.open(orgId);
    const user = budgets.card('USER', userEmail);
    await user.root.waitFor();
    expect(await user.percent('Total')).toBe(0);

    // The data plane learns the new limits from the control plane's push: calls until the first refusal.
    const client = stack.openai(secret);
    let served = 0;
    const refusal = await waitFor(
      'the data plane to refuse with budget_exceeded',
      async () => {
        try {
          await client.chat.completions.create({
            model: 'gpt-budget',
            messages: [{ role: 'user', content: prompt }],
            max_tokens: 40,
          });
          served += 1;
          return false;
        } catch (error) {
          if (error instanceof APIError && error.status === 429) return error;
          throw error;
        }
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    expect(refusal.code).toBe('budget_exceeded');
    expect(served).toBeGreaterThan(0);

    // The page follows on its own (no reload): the total budget at or near 100 %, as the API says.
    await waitFor('the user’s total budget to show near full', async () => ((await user.percent('Total')) ?? 0) >= 75, {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    const api = await scopeLimits('USER', userId);
    const total = api?.budgets.find((b) => b.period === 'TOTAL');
    expect(total?.usedPercent).toBeGreaterThanOrEqual(75);
    await waitFor('the bar to match the API', async () => (await user.percent('Total')) === total?.usedPercent, {
      timeoutMs: 15_000,
      intervalMs: 200,
    });
    expect(await user.bar('Total').getAttribute('data-level')).not.toBe('ok');
    expect(await user.figure('Total', 'percent')).toMatch(/^(\d+(\.\d)?) % used$/);
    // The team and the org counted the same calls.
    await expect.poll(async () => (await budgets.card('TEAM', 'Research').percent('Daily')) ?? 0).toBeGreaterThan(0);
    // The data plane's lease on these budgets is listed.
    await waitFor('a lease row of the data plane', async () => (await budgets.leaseRows().count()) > 0, {
      timeoutMs: 15_000,
      intervalMs: 200,
    });
    expect(await budgets.leaseRows().first().getAttribute('data-node')).toBe('org-budgets-dp1');

    // The same call is still refused: what is left does not cover its worst case.
    const again = await client.chat.completions
      .create({ model: 'gpt-budget', messages: [{ role: 'user', content: prompt }], max_tokens: 40 })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(APIError);
    expect((again as APIError).status).toBe(429);
    await session.screenshot('org-budgets-full');

    // Starting the period over: what was spent no longer counts, and the data plane serves the user again.
    const confirm = await user.startOver('Total');
    await confirm.waitFor(`Start the total budget of ${userEmail} over?`);
    await confirm.confirm();
    await waitFor('the total budget to read empty again', async () => (await user.percent('Total')) === 0, {
      timeoutMs: 15_000,
      intervalMs: 200,
    });
    await waitFor(
      'the data plane to serve the user again',
      async () => {
        try {
          await client.chat.completions.create({
            model: 'gpt-budget',
            messages: [{ role: 'user', content: 'hello' }],
            max_tokens: 5,
          });
          return true;
        } catch (error) {
          if (error instanceof APIError && error.status === 429) return false;
          throw error;
        }
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    await session.close();
  });

  it('a viewer reads budgets without any write control', async () => {
    const session = await browser.newSession({ label: 'viewer', baseURL: stack.web.url, viewport: tablet });
    const { page } = session;
    await signIn(page, viewer);
    const budgets = new OrgBudgetsPage(page);
    await budgets.open(orgId);
    expect(await budgets.scopeNames()).toEqual(['Research', userEmail]);
    expect(await budgets.writeControls().count()).toBe(0);
    expect(await budgets.orgNote().count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await session.screenshot('org-budgets');

    const user = new UserPage(page);
    await user.open(orgId, userId);
    await user.waitForLoaded(userLabel);
    const card = budgetCardOn(page, 'USER');
    await card.bar('Total').waitFor();
    expect(await card.writeControls().count()).toBe(0);

    const team = new TeamPage(page);
    await team.open(orgId, teamId);
    await team.waitForLoaded('Research');
    await budgetCardOn(page, 'TEAM').bar('Daily').waitFor();
    expect(await budgetCardOn(page, 'TEAM').writeControls().count()).toBe(0);

    const asViewer = gqlClient(stack.cp.graphqlUrl, await stack.login(viewer));
    const refused = await asViewer(
      'mutation ($o: ID!, $u: ID!) { setLimits(orgId: $o, scope: USER, scopeId: $u, input: { rpm: 5 }) { id } }',
      { o: orgId, u: userId },
    ).catch((e: unknown) => e);
    expect((refused as GraphQLRequestError).codes).toEqual(['FORBIDDEN']);
    await session.close();
  });

  it('a platform admin sees the org’s budget on the list, the overview and the platform’s Budgets page, and sets its time zone', async () => {
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);

    // The org list: the org's tightest budget (the daily one carries the traffic).
    const list = new OrganizationsPage(page);
    await list.open();
    const cell = list.row(orgName).getByTestId('budget-cell');
    await cell.waitFor();
    expect(await cell.textContent()).toMatch(/^\d+(\.\d)? % of \$1\.00 daily$/);

    // The platform's Budgets page: orgs from the chosen share up, each linking to its Budgets page.
    const near = new PlatformBudgetsPage(page);
    await near.open();
    await near.threshold('At least 50 % used');
    await setOrgLimits({ daily: '0.05', monthly: '60' });
    await waitFor('the org to be listed as near its budget', async () => (await near.row(orgName).count()) === 1, {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    await near.row(orgName).getByRole('link', { name: orgName }).click();
    const budgets = new OrgBudgetsPage(page);
    await budgets.waitForLoaded();
    expect(new URL(page.url()).pathname).toBe(`/orgs/${orgId}/budgets`);
    // Platform admins change the org's own budget.
    expect(await budgets.card('ORG').editButton().count()).toBe(1);
    const form = await budgets.card('ORG').edit();
    expect(await form.input('Daily budget').inputValue()).toBe('0.05');
    await form.fill({ 'Weekly budget': '9000000.5' });
    await form.submit();
    await expect.poll(() => form.invalid('Weekly budget')).toBe(true);
    await expect.poll(() => form.message('Weekly budget')).toContain('at most $9,000,000.00');
    await form.fill({ 'Weekly budget': '5' });
    await form.save();
    await expect.poll(() => budgets.card('ORG').periods()).toEqual(['DAILY', 'WEEKLY', 'MONTHLY']);

    // The overview: the org's budget, and its time zone set from the edit dialog.
    const overview = new OrgOverviewPage(page);
    await overview.open(orgId);
    await page.getByTestId('org-budget').getByTestId('budget-bar').first().waitFor();
    expect(await page.getByTestId('org-detail-time-zone').textContent()).toBe('UTC');
    await page.getByTestId('org-edit').click();
    const edit = page.getByTestId('edit-org-form');
    await edit.waitFor();
    await edit.locator('#org-time-zone').fill('Europe/Par');
    await page.locator('.n-base-select-menu:visible').getByText('Europe/Paris', { exact: true }).click();
    await edit.getByTestId('org-fail-open').click();
    await edit.getByTestId('edit-org-submit').click();
    await edit.waitFor({ state: 'detached' });
    await expect.poll(async () => page.getByTestId('org-detail-time-zone').textContent()).toBe('Europe/Paris');
    expect(await page.getByTestId('org-detail-fail-open').textContent()).toContain('fail open');
    const { organization } = await stack.api<{ organization: { timeZone: string; budgetFailOpen: boolean } }>(
      'query ($o: ID!) { organization(id: $o) { timeZone budgetFailOpen } }',
      { o: orgId },
    );
    expect(organization).toEqual({ timeZone: 'Europe/Paris', budgetFailOpen: true });
    // Periods now reset in the org's zone.
    await budgets.open(orgId);
    expect(await budgets.card('ORG').figure('Daily', 'reset')).toMatch(/^Resets .+ 00:00 Europe\/Paris$/);
    await session.screenshot('org-overview-budget');
    await session.close();
  });

  it('a platform admin creates an org in a time zone, failing closed unless chosen otherwise', async () => {
    const session = await browser.newSession({ label: 'platform admin (create)', baseURL: stack.web.url });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const list = new OrganizationsPage(page);
    await list.open();
    await page.getByTestId('new-org').click();
    const form = page.getByTestId('create-org-form');
    await form.waitFor();
    await form.locator('#org-name').fill('Tokyo Branch');
    await form.locator('#org-time-zone').fill('Asia/Tok');
    await page.locator('.n-base-select-menu:visible').getByText('Asia/Tokyo', { exact: true }).click();
    await form.getByTestId('create-org-submit').click();
    await page.waitForURL((url) => url.pathname.endsWith('/overview'));
    await expect.poll(async () => page.getByTestId('org-detail-time-zone').textContent()).toBe('Asia/Tokyo');
    expect(await page.getByTestId('org-detail-fail-open').textContent()).toContain('fail closed');
    await session.close();
  });
});
