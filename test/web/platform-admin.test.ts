// Issue 4, the platform admin's pages in a browser: admins (an org admin created here signs in to their own org's
// panel), API tokens (shown once, copied, working against GraphQL until revoked), billing (an org's markup, its CSV
// export downloaded and checked line by line), the audit log with before/after, and an org viewer reading the org's
// admins and audit log without write controls.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, waitFor } from '../harness/index.ts';
import { createAdminThroughUi } from './commands/admins.ts';
import { fetchGraphql } from './commands/graphql-fetch.ts';
import { signIn } from './commands/sign-in.ts';
import { laptop, type PageSession, tablet, useBrowser } from './fixtures/browser.ts';
import { password, startWebStack, type WebStack } from './fixtures/stack.ts';
import { AdminsPage } from './pages/admins-page.ts';
import { ApiTokensPage } from './pages/api-tokens-page.ts';
import { AuditPage } from './pages/audit-page.ts';
import { BillingPage } from './pages/billing-page.ts';
import { Shell } from './pages/shell.ts';

const exportHeader =
  'record_type,org_id,period_start,period_end,team_id,team_name,user_id,user_email,key_id,key_name,module_id,model,' +
  'requests,input_tokens,cached_input_tokens,output_tokens,provider_cost_usd,markup_percent,exchange_rate,currency,' +
  'billed_amount';

/** Exact decimal text -> integer units of 10^-scale. */
function units(text: string, scale: number): bigint {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
}

/** Cents of `costUsd × (1 + markup/100)`, rounded half away from zero (costs are positive here). */
function billedCents(costUsd: string, markupPercent: number): bigint {
  const scaled = units(costUsd, 10) * BigInt(100 + markupPercent); // units of 10^-12
  return (scaled + 5_000_000_000n) / 10_000_000_000n;
}

const cents = (amount: string): bigint => units(amount, 2);

/** The current billing period's name for anchor day 1: this UTC month. */
const currentPeriod = (): string => new Date().toISOString().slice(0, 7);

describe('platform admin pages', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let platform: PageSession;
  const org = { id: '', name: 'Acme Billing', slug: 'acme-billing' };
  const orgAdmin = { email: 'olivia@acme-billing.test', name: 'Olivia Org', password: password() };

  beforeAll(async () => {
    stack = await startWebStack({
      name: 'platform-admin',
      dataPlane: true,
      // Prices high enough that one request costs whole cents, so the markup shows in the billed amount.
      models: [
        { name: 'gpt-fixture', upstreamModel: 'fixture-model', inputPricePerMTok: 5000, outputPricePerMTok: 15000 },
      ],
    });
    const { createOrganization } = await stack.api<{ createOrganization: { id: string } }>(
      'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      { input: { name: org.name, slug: org.slug } },
    );
    org.id = createOrganization.id;
    // Real usage for the export: a user's key sends requests through the data plane.
    const { createUser } = await stack.api<{ createUser: { id: string } }>(
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      { input: { orgId: org.id, email: 'caller@acme-billing.test', name: 'Caller' } },
    );
    const key = await createKey(stack.api, { orgId: org.id, userId: createUser.id, name: 'billing key' });
    const client = stack.openai(key.secret);
    const ask = (i: number) =>
      client.chat.completions.create({ model: 'gpt-fixture', messages: [{ role: 'user', content: `hello ${i}` }] });
    // The key reaches the data plane within a second; until then it is refused (and nothing is metered).
    await waitFor('the data plane to accept the new key', () => ask(0).then(() => true), {
      timeoutMs: 10_000,
      intervalMs: 200,
    });
    await ask(1);
    await ask(2);
    await waitFor(
      'the usage of three requests in the export',
      async () => {
        const { billingExport } = await stack.api<{ billingExport: { csv: string } }>(
          'query ($o: ID!, $p: String) { billingExport(orgId: $o, period: $p) { csv } }',
          { o: org.id, p: currentPeriod() },
        );
        const total = billingExport.csv.trimEnd().split('\r\n').at(-1)?.split(',') ?? [];
        return total[0] === 'total' && total[12] === '3';
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    platform = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url, viewport: laptop });
    await signIn(platform.page, stack.platformAdmin);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('creates an org admin, who signs in and lands in their own org panel', async () => {
    const admins = await createAdminThroughUi(platform.page, { ...orgAdmin, role: 'Org admin', org: org.name });
    const row = admins.row(orgAdmin.email);
    await expect(row.textContent()).resolves.toContain('Org admin');
    await expect(row.textContent()).resolves.toContain(org.name);
    await expect(row.textContent()).resolves.toContain('Never'); // no sign-in yet
    // The platform admin's own row has no actions: nobody disables or deletes themselves.
    await expect(admins.actionButtons(stack.platformAdmin.email).count()).resolves.toBe(0);
    await platform.screenshot('platform-admins');

    const session = await browser.newSession({ label: 'org admin', baseURL: stack.web.url, viewport: laptop });
    await signIn(session.page, orgAdmin);
    await session.page.waitForURL(`**/orgs/${org.id}/overview`);
    const shell = new Shell(session.page);
    await expect(shell.orgName().textContent()).resolves.toBe(org.name);
    expect(await shell.menuLabels()).not.toContain('Organizations');

    // In their org's Admins page they may add admins and viewers, never a platform admin.
    const own = new AdminsPage(session.page);
    await own.open(org.id);
    await own.newButton().click();
    await own.roleRadio('Org viewer').waitFor({ state: 'attached' });
    await expect(own.roleRadio('Platform admin').count()).resolves.toBe(0);
    await own.form().getByRole('button', { name: 'Cancel' }).click();
    await own.form().waitFor({ state: 'hidden' });

    // The platform list now shows their sign-in.
    await admins.open();
    await expect(admins.row(orgAdmin.email).textContent()).resolves.not.toContain('Never');
  });

  it('creates an API token shown once, which works against GraphQL until it is revoked', async () => {
    const tokens = new ApiTokensPage(platform.page);
    await tokens.open();
    const secret = await tokens.create({ name: 'ci-export', role: 'Platform admin' });
    const token = await secret.value();
    expect(token).toMatch(/^gwt_/);
    await secret.copy();
    await expect(secret.clipboard()).resolves.toBe(token);
    await secret.done();
    const row = tokens.row('ci-export');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Platform');
    // Only its prefix is ever shown again.
    expect(await platform.page.locator('body').textContent()).not.toContain(token);
    await platform.screenshot('platform-api-tokens');

    const works = await fetchGraphql<{ organizations: { totalCount: number } }>(
      stack.cp.graphqlUrl,
      token,
      '{ organizations { totalCount } }',
    );
    expect(works.errorCode).toBeUndefined();
    expect(works.data?.organizations.totalCount).toBe(1);

    await tokens.revoke('ci-export');
    await row.waitFor({ state: 'detached' });
    await tokens.showInactive();
    await expect(tokens.row('ci-export').getAttribute('data-status')).resolves.toBe('REVOKED');

    const refused = await fetchGraphql(stack.cp.graphqlUrl, token, '{ organizations { totalCount } }');
    expect(refused.errorCode).toBe('UNAUTHENTICATED');
    expect(refused.data).toBeNull();
  });

  it("sets an org's markup and downloads its CSV export", async () => {
    const billing = new BillingPage(platform.page);
    await billing.open();
    await expect(billing.source(org.name).textContent()).resolves.toBe('Platform default');
    await billing.setOverride(org.name, { markupPercent: 20 });
    await billing.source(org.name).filter({ hasText: 'Own settings' }).waitFor();
    await expect(billing.markup(org.name).textContent()).resolves.toBe('+20 %');

    await billing.exportFor(org.name);
    await billing.choosePeriod(/in progress/);
    await billing.exportTotal().waitFor();
    await platform.screenshot('platform-billing');

    const download = await billing.download();
    expect(download.suggestedFilename()).toBe(`usage-${org.slug}-${currentPeriod()}.csv`);
    const file = join(mkdtempSync(join(tmpdir(), 'gw-export-')), download.suggestedFilename());
    await download.saveAs(file);
    const lines = readFileSync(file, 'utf8').split('\r\n');
    expect(lines.pop()).toBe(''); // CRLF after the last row
    expect(lines[0]).toBe(exportHeader);
    const rows = lines.slice(1);
    const total = rows.at(-1)?.split(',') ?? [];
    expect(total[0]).toBe('total');
    expect(total[1]).toBe(org.id);
    expect(total[12]).toBe('3'); // requests
    expect(total.slice(17, 20)).toEqual(['20', '1', 'USD']);
    const [costUsd = '', billed = ''] = [total[16], total[20]];
    expect(cents(billed)).toBeGreaterThan(0n);
    expect(cents(billed)).toBe(billedCents(costUsd, 20));
    // The total adds up the lines, and is what the page and the API say.
    const lineBilled = rows.slice(0, -1).map((l) => cents(l.split(',').at(-1) ?? ''));
    expect(lineBilled.length).toBeGreaterThan(0);
    expect(lineBilled.reduce((a, b) => a + b, 0n)).toBe(cents(billed));
    await expect(billing.exportTotal().textContent()).resolves.toContain(`${billed} USD billed`);
    const { billingExport } = await stack.api<{ billingExport: { totalBilledAmount: string } }>(
      'query ($o: ID!, $p: String) { billingExport(orgId: $o, period: $p) { totalBilledAmount } }',
      { o: org.id, p: currentPeriod() },
    );
    expect(billingExport.totalBilledAmount).toBe(billed);

    await platform.page.setViewportSize(tablet);
    await billing.exportTotal().waitFor();
    await platform.screenshot('platform-billing');
    await platform.page.setViewportSize(laptop);
  });

  it('shows these changes in the audit log, each with its state before and after', async () => {
    const audit = new AuditPage(platform.page);
    await audit.open();
    // Newest first.
    const times = await audit.times();
    expect(times.length).toBeGreaterThan(5);
    expect([...times].sort().reverse()).toEqual(times);

    const revoked = audit.row('apiToken.revoke');
    await expect(revoked.count()).resolves.toBe(1);
    const revoke = await audit.expand(revoked);
    const revokedAt = await audit.field(revoke, 'revokedAt');
    expect(revokedAt.before).toBe('null');
    expect(revokedAt.after).toMatch(/^\d{4}-\d\d-\d\dT/);

    const created = audit.row('adminUser.create');
    const creation = await audit.expand(created);
    await expect(audit.field(creation, 'email')).resolves.toEqual({ before: '—', after: orgAdmin.email });
    await expect(audit.field(creation, 'role')).resolves.toEqual({ before: '—', after: 'org_admin' });
    await expect(creation.getByTestId('state-after').textContent()).resolves.not.toMatch(/password/i);

    await audit.filterType('Billing settings');
    const set = audit.row('billingSettings.set', org.id);
    await set.waitFor();
    // The row was listed before the filter too: wait for the filtered list, not only for the row.
    await expect.poll(() => audit.rows().count()).toBe(1);
    const change = await audit.expand(set);
    await expect(audit.field(change, 'markupPercent')).resolves.toEqual({ before: '—', after: '20' });
    await platform.screenshot('platform-audit');
  });

  it("lets an org viewer read the org's admins and audit log, with no write controls", async () => {
    const viewer = await stack.createAdmin('ORG_VIEWER', org.id, 'vera@acme-billing.test');
    const session = await browser.newSession({ label: 'org viewer', baseURL: stack.web.url, viewport: tablet });
    await signIn(session.page, viewer);
    await session.page.waitForURL(`**/orgs/${org.id}/overview`);

    const admins = new AdminsPage(session.page);
    await admins.open(org.id);
    await admins.row(orgAdmin.email).waitFor();
    await admins.row(viewer.email).waitFor();
    await expect(admins.rows().count()).resolves.toBe(2); // the org's own only
    await expect(admins.newButton().count()).resolves.toBe(0);
    await expect(admins.actionButtons(orgAdmin.email).count()).resolves.toBe(0);
    await expect(session.page.getByTestId('new-token').count()).resolves.toBe(0);
    await session.screenshot('org-admins');

    const audit = new AuditPage(session.page);
    await audit.open(org.id);
    const times = await audit.times();
    expect([...times].sort().reverse()).toEqual(times);
    const set = audit.row('billingSettings.set', org.id);
    await set.waitFor();
    // Platform-wide events (the platform token) are not the org's.
    await expect(audit.row('apiToken.create').count()).resolves.toBe(0);
    const change = await audit.expand(set);
    await expect(audit.field(change, 'markupPercent')).resolves.toEqual({ before: '—', after: '20' });
    await session.screenshot('org-audit');
  });

  it("changes an admin's role and name, then disables and deletes them after confirming", async () => {
    const temp = await stack.createAdmin('ORG_VIEWER', org.id, 'tom@acme-billing.test');
    const admins = new AdminsPage(platform.page);
    await admins.open();
    await admins.edit(temp.email, { role: 'Org admin', name: 'Tom Temp' });
    await admins.row(temp.email).filter({ hasText: 'Tom Temp' }).waitFor();
    await expect(admins.row(temp.email).textContent()).resolves.toContain('Org admin');

    const disable = await admins.rowAction(temp.email, 'Disable');
    await disable.waitFor(/Disable Tom Temp/);
    await disable.confirm();
    // Disabled admins are hidden until asked for, and cannot sign in.
    await admins.row(temp.email).waitFor({ state: 'detached' });
    await admins.showDisabled();
    await expect(admins.row(temp.email).textContent()).resolves.toContain('Disabled');
    await expect(stack.login(temp)).rejects.toThrow();

    const remove = await admins.rowAction(temp.email, 'Delete');
    await remove.waitFor(/Delete Tom Temp/);
    await remove.confirm();
    await admins.row(temp.email).waitFor({ state: 'detached' });
    const { adminUsers } = await stack.api<{ adminUsers: { nodes: { email: string }[] } }>(
      '{ adminUsers(filter: { includeDisabled: true }) { nodes { email } } }',
    );
    expect(adminUsers.nodes.map((a) => a.email)).not.toContain(temp.email);
  });
});
