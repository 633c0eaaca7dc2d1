// Issue 4, the platform admin's upstream side in a browser: provider credentials (the key goes in, only its hint
// ever comes back), models with weighted deployments and prices, the API's refusals shown where they belong, and
// the data-plane fleet with its applied config version, refreshing by itself while open.
import { randomBytes } from 'node:crypto';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../harness/index.ts';
import { createCredential, createModel } from './commands/providers.ts';
import { signIn } from './commands/sign-in.ts';
import { type PageSession, tablet, useBrowser } from './fixtures/browser.ts';
import { holdRequest } from './fixtures/held-request.ts';
import { startWebStack, type WebStack } from './fixtures/stack.ts';
import { FleetPage } from './pages/fleet-page.ts';
import { ModelDetailPage } from './pages/model-detail-page.ts';
import { ModelsPage } from './pages/models-page.ts';
import { ProvidersPage } from './pages/providers-page.ts';
import { Shell } from './pages/shell.ts';
import { choose, field, input, isInvalid, openSelectMenu } from './pages/widgets.ts';

const name = 'platform-providers';
const nodeId = `${name}-dp1`;
/** A key shaped like a real one; each test's keys are fresh so "not in the page" means something. */
const newKey = () => `sk-live-${randomBytes(18).toString('hex')}`;

interface FleetState {
  configState: { version: number };
  dataPlaneNodes: { nodes: { nodeId: string; appliedVersion: number | null }[] };
}

describe('platform: providers, models and fleet', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let session: PageSession;
  let fixtureLabel: string;
  const mainKey = newKey();

  const fleetState = () =>
    stack.api<FleetState>(
      `{ configState { version } dataPlaneNodes(filter: { search: "${nodeId}" }) { nodes { nodeId appliedVersion } } }`,
    );
  /** The published version once this node has applied it (config changes settle within a second). */
  const settledVersion = () =>
    waitFor('the data plane to apply the published config', async () => {
      const s = await fleetState();
      const applied = s.dataPlaneNodes.nodes[0]?.appliedVersion;
      return applied === s.configState.version ? applied : undefined;
    });
  const credentialOf = (credentialName: string) =>
    stack
      .api<{ providerCredentials: { nodes: { id: string; secretHint: string; usedByModels: string[] }[] } }>(
        'query ($n: String) { providerCredentials(filter: { nameContains: $n }) { nodes { id secretHint usedByModels } } }',
        { n: credentialName },
      )
      .then((r) => r.providerCredentials.nodes[0]);

  beforeAll(async () => {
    stack = await startWebStack({ name, dataPlane: true });
    session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url });
    await signIn(session.page, stack.platformAdmin);
    // The seeded credential, as the pickers label it: name (hint).
    fixtureLabel = `fixture (${(await credentialOf('fixture'))?.secretHint})`;
  });

  afterAll(() => stack?.stop());

  it('fleet: shows the data plane with its applied version and follows a config change while open', async () => {
    const { page } = session;
    const version = await settledVersion();
    // A node that stopped reporting five minutes ago, one version behind (as the control plane would have kept it).
    await stack.db.pool.query(
      `insert into data_plane_nodes (node_id, applied_version, applied_hash, source, version, started_at, last_seen_at,
                                     usage_backlog, usage_dead_letter_records, usage_last_dead_letter_at)
       values ('gone-dp', $1, 'feedface', 'control-plane', '0.1.0', now() - interval '1 hour', now() - interval '5 minutes',
               1200, 3, now() - interval '6 minutes')`,
      [version - 1],
    );
    await new Shell(page).go('Fleet');
    const fleet = new FleetPage(page);
    await fleet.waitForLoaded();
    await fleet.row(nodeId).waitFor();
    expect(await fleet.publishedVersion().textContent()).toBe(`v${version}`);
    expect(await fleet.applied(nodeId).textContent()).toBe(`v${version}`);
    expect(await fleet.lag(nodeId).textContent()).toBe('Up to date');
    expect(await fleet.health(nodeId).textContent()).toBe('Connected');
    expect(await fleet.lastSeen(nodeId).textContent()).toMatch(/just now|seconds? ago/);
    expect(await fleet.row(nodeId).getAttribute('class')).not.toContain('fleet-row--stale');
    // The silent node stands out: disconnected, behind, last seen minutes ago, its row tinted.
    expect(await fleet.health('gone-dp').textContent()).toBe('Disconnected');
    expect(await fleet.lag('gone-dp').textContent()).toBe('1 version behind');
    expect(await fleet.lastSeen('gone-dp').textContent()).toBe('5 minutes ago');
    expect(await fleet.row('gone-dp').getAttribute('class')).toContain('fleet-row--stale');
    // Usage delivery: the live node has delivered everything; the silent one left a backlog and dead letters.
    expect(await fleet.usageBacklog(nodeId).textContent()).toBe('All delivered');
    expect(await fleet.deadLetters(nodeId).count()).toBe(0);
    expect(await fleet.usageBacklog('gone-dp').textContent()).toBe('1,200 waiting');
    expect(await fleet.deadLetters('gone-dp').textContent()).toBe('3 dead letters');
    expect(await page.getByTestId('connected-count').textContent()).toBe('1 of 2');
    await session.screenshot('fleet');
    await fleet.filterConnection('Connected');
    await fleet.row('gone-dp').waitFor({ state: 'detached' });
    expect(await fleet.row(nodeId).count()).toBe(1);

    // A config change elsewhere: without a reload, the page shows the new version and the node applying it.
    await stack.api(
      'mutation ($input: CreateProviderCredentialInput!) { createProviderCredential(input: $input) { id } }',
      {
        input: { name: 'fleet-bump', provider: 'OPENAI', baseUrl: 'https://api.example.com/v1', apiKey: newKey() },
      },
    );
    const next = await settledVersion();
    expect(next).toBeGreaterThan(version);
    await fleet
      .publishedVersion()
      .filter({ hasText: `v${next}` })
      .waitFor({ timeout: 20_000 });
    await fleet
      .applied(nodeId)
      .filter({ hasText: `v${next}` })
      .waitFor({ timeout: 20_000 });
  });

  it('fleet: shows a rejecting node apart from a lagging one, and a refused one with its reason', async () => {
    const { page } = session;
    const version = await settledVersion();
    const rejected = {
      version,
      hash: 'b'.repeat(64),
      reason: 'delta does not hash to its hash',
      at: new Date().toISOString(),
    };
    await stack.db.pool.query(
      `insert into data_plane_nodes (node_id, applied_version, applied_hash, source, version, started_at, last_seen_at,
                                     protocol, last_rejected, refused_reason, refused_at)
       values ('nack-dp', $1, 'feedface', 'control-plane', '0.2.0', now(), now(), 2, $2::jsonb, null, null),
              ('slow-dp', $1, 'feedface', 'control-plane', '0.2.0', now(), now(), 2, null, null, null),
              ('old-dp', null, null, null, '0.1.0', now(), now(), 1, null,
               'This control plane speaks config sync protocol 2; data plane old-dp speaks protocol 1.', now())`,
      [version - 1, JSON.stringify(rejected)],
    );
    const fleet = new FleetPage(page);
    await fleet.open();
    await fleet.row('nack-dp').waitFor();
    expect(await fleet.syncState(nodeId).textContent()).toBe('In sync');
    expect(await fleet.syncState('slow-dp').textContent()).toBe('Catching up');
    expect(await fleet.syncReason('slow-dp').count()).toBe(0);
    expect(await fleet.syncState('nack-dp').textContent()).toBe('Rejecting config');
    expect(await fleet.syncReason('nack-dp').textContent()).toBe(
      `Rejected v${version}: delta does not hash to its hash`,
    );
    expect(await fleet.syncState('old-dp').textContent()).toBe('Refused');
    expect(await fleet.syncReason('old-dp').textContent()).toContain('speaks protocol 1');
    await session.screenshot('fleet-sync-states');
    await stack.db.pool.query(`delete from data_plane_nodes where node_id in ('nack-dp', 'slow-dp', 'old-dp')`);
  });

  it('fleet: refreshes every 5 seconds while open, and not once another page shows', async () => {
    // The page runs on a clock the test moves forward: no waiting for real seconds, and "no refresh" is checked
    // after a known stretch of page time rather than after a guessed pause.
    const timed = await browser.newSession({ label: 'platform admin (page clock)', baseURL: stack.web.url });
    const { page } = timed;
    await page.clock.install();
    await signIn(page, stack.platformAdmin);
    const fleetQueries: Request[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && (r.postData() ?? '').includes('query PlatformFleet')) fleetQueries.push(r);
    });
    await new Shell(page).go('Fleet');
    const fleet = new FleetPage(page);
    await fleet.waitForLoaded();
    await fleet.row(nodeId).waitFor();
    const opened = fleetQueries.length;
    await page.clock.runFor(6_000);
    await expect.poll(() => fleetQueries.length).toBeGreaterThan(opened);

    await new Shell(page).go('Providers');
    await new ProvidersPage(page).waitForLoaded();
    const left = fleetQueries.length;
    await page.clock.runFor(30_000);
    // A request sent after those timers fired: once it has gone out, any refresh they started would have too.
    await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/config.json?after-timers')),
      page.evaluate(() => void fetch('/config.json?after-timers')),
    ]);
    expect(fleetQueries.length).toBe(left);
    await timed.close();
  });

  it('providers: creates a credential whose hint shows while the key never reaches the page', async () => {
    const { page } = session;
    const providers = new ProvidersPage(page);
    await providers.open();
    const hint = await createCredential(page, {
      name: 'openai-main',
      baseUrl: 'https://api.openai.com/v1',
      apiKey: mainKey,
    });
    expect(hint).toBe(`sk-...${mainKey.slice(-4)}`);
    expect(hint).toBe((await credentialOf('openai-main'))?.secretHint);
    expect(await providers.status('openai-main').textContent()).toBe('Unused');
    expect(await page.content()).not.toContain(mainKey);
    await session.screenshot('providers');
  });

  it('providers: a field error from the server lands on its field', async () => {
    const providers = new ProvidersPage(session.page);
    await providers.startCreate();
    // Valid for the client rules; the API refuses the name (another credential has it).
    await providers.submitCreate({ name: 'openai-main', baseUrl: 'https://api.openai.com/v1', apiKey: newKey() });
    await providers.formField('Name').getByText('already exists').waitFor();
    expect(await isInvalid(providers.form(), 'Name')).toBe(true);
    expect(await isInvalid(providers.form(), 'Base URL')).toBe(false);
    // Focus went to the field to fix.
    expect(await input(providers.form(), 'Name').evaluate((el) => el === document.activeElement)).toBe(true);
    await session.page.keyboard.press('Escape');
    await providers.form().waitFor({ state: 'detached' });
  });

  it('models: creates a model with two weighted deployments, edits a price, and meets the last-deployment rule', async () => {
    const { page } = session;
    const models = new ModelsPage(page);
    await models.open();
    await models.startCreate();
    await models.fillModel({ name: 'gpt-two', input: 2.5, output: 10 });
    await models.fillDeployment(0, { credential: fixtureLabel, upstreamModel: 'fixture-model', weight: 3 });
    const mainLabel = `openai-main (sk-...${mainKey.slice(-4)})`;
    await models.fillDeployment(1, { credential: mainLabel, upstreamModel: 'gpt-4o', weight: 1 });
    expect(await models.rowShare(0)).toBe('75 % of traffic');
    expect(await models.rowShare(1)).toBe('25 % of traffic');
    await session.screenshot('new-model-dialog');
    await models.submit();
    await page.waitForURL(/\/platform\/models\/[0-9a-f-]{36}$/);
    const detail = new ModelDetailPage(page);
    await detail.waitForLoaded('gpt-two');
    const modelId = detail.modelId();

    expect(await detail.deploymentRows().count()).toBe(2);
    expect(await detail.share('fixture-model')).toBe('75 %');
    expect(await detail.share('gpt-4o')).toBe('25 %');
    // No cached price given: it defaults to the input price.
    expect(await detail.price('cached').textContent()).toBe('$2.50');
    const { model } = await stack.api<{
      model: {
        cachedInputPricePerMTok: number;
        deployments: { upstreamModel: string; weight: number; credential: { name: string } }[];
      };
    }>(
      'query ($id: ID!) { model(id: $id) { cachedInputPricePerMTok deployments { upstreamModel weight credential { name } } } }',
      {
        id: modelId,
      },
    );
    expect(model.cachedInputPricePerMTok).toBe(2.5);
    expect(model.deployments).toEqual([
      { upstreamModel: 'fixture-model', weight: 3, credential: { name: 'fixture' } },
      { upstreamModel: 'gpt-4o', weight: 1, credential: { name: 'openai-main' } },
    ]);

    await detail.editPrices({ output: 12.5 });
    await detail.pricesForm().waitFor({ state: 'detached' });
    await detail.price('output').filter({ hasText: '$12.50' }).waitFor();
    const after = await stack.api<{ model: { outputPricePerMTok: number; inputPricePerMTok: number } }>(
      'query ($id: ID!) { model(id: $id) { inputPricePerMTok outputPricePerMTok } }',
      { id: modelId },
    );
    expect(after.model).toEqual({ inputPricePerMTok: 2.5, outputPricePerMTok: 12.5 });
    await session.screenshot('model-detail');

    // Reweighting a deployment moves the shares.
    await detail.startEditDeployment('fixture-model');
    await input(detail.deploymentForm(), 'Weight').fill('1');
    await input(detail.deploymentForm(), 'Weight').press('Enter');
    await detail.deploymentForm().waitFor({ state: 'detached' });
    await detail.deploymentRow('fixture-model').getByTestId('deployment-share').filter({ hasText: '50 %' }).waitFor();
    expect(await detail.share('gpt-4o')).toBe('50 %');

    // Removing one of two works; removing the last one is refused by the API, and the page says why.
    await (await detail.startRemoveDeployment('gpt-4o')).confirm();
    await detail.deploymentRow('gpt-4o').waitFor({ state: 'detached' });
    await (await detail.startRemoveDeployment('fixture-model')).confirm();
    await detail
      .refusal()
      .getByText(/only deployment of model "gpt-two"/)
      .waitFor();
    expect(await detail.deploymentRows().count()).toBe(1);

    // Put the second deployment back for the credential test below.
    await page.getByTestId('add-deployment').click();
    await detail.deploymentForm().waitFor();
    await choose(page, field(detail.deploymentForm(), 'Credential'), mainLabel, 'openai-main');
    await input(detail.deploymentForm(), 'Upstream model').fill('gpt-4o');
    await input(detail.deploymentForm(), 'Upstream model').press('Enter');
    await detail.deploymentRow('gpt-4o').waitFor();
    expect(await detail.share('gpt-4o')).toBe('50 %');

    // The catalogue lists it with its routing; the credential filter narrows to the models using one credential.
    await models.open();
    await models.row('gpt-two').getByText('openai-main → gpt-4o (50 %)').waitFor();
    await page.goto(`/platform/models?credential=${(await credentialOf('openai-main'))?.id}`);
    await models.row('gpt-two').waitFor();
    expect(await page.getByTestId('model-row').count()).toBe(1);
    await session.screenshot('models');
  });

  it('models: a credential picker lists only the answer to the text typed, and Escape closes it, not the dialog', async () => {
    const { page } = session;
    const models = new ModelsPage(page);
    await models.open();
    await models.startCreate();
    await input(models.form(), 'Name').fill('gpt-kept');
    const picker = models.rowField(0, 'Credential');
    const options = openSelectMenu(page).locator('.n-base-select-option');
    await picker.locator('input, [tabindex="0"]').first().click();
    await options.getByText(fixtureLabel, { exact: true }).waitFor();
    expect(await options.count()).toBeGreaterThan(1);

    // While the answer to "fixture" is on its way the menu says so; the other credentials are not left under the
    // pointer to be clicked by mistake, or to move when the answer lands.
    const answer = await holdRequest(page, 'PlatformCredentialOptions', (v) => v.search === 'fixture');
    await picker.locator('input').fill('fixture');
    await answer.arrived;
    await openSelectMenu(page).getByText('Searching…', { exact: true }).waitFor();
    expect(await options.count()).toBe(0);
    await answer.release();
    await options.first().waitFor();
    expect(await options.allTextContents()).toEqual([fixtureLabel]);

    // Escape closes the open picker and leaves the dialog with what was typed; a second one closes the dialog.
    await page.keyboard.press('Escape');
    await openSelectMenu(page).waitFor({ state: 'detached' });
    expect(await models.form().isVisible()).toBe(true);
    expect(await input(models.form(), 'Name').inputValue()).toBe('gpt-kept');
    await page.keyboard.press('Escape');
    await models.form().waitFor({ state: 'detached' });
  });

  it('providers: deleting a credential in use shows the conflict naming its models', async () => {
    const { page } = session;
    const providers = new ProvidersPage(page);
    await providers.open();
    expect(await providers.status('fixture').textContent()).toBe('In use');
    const confirm = await providers.startDelete('fixture');
    await confirm.confirm();
    const notice = providers.notice();
    await notice.waitFor();
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('fixture was not deleted');
    expect(text).toContain('gpt-fixture');
    expect(text).toContain('gpt-two');
    expect(await notice.getAttribute('role')).toBe('alert');
    // Still there, still used.
    await providers.row('fixture').waitFor();
    expect((await credentialOf('fixture'))?.usedByModels).toEqual(['gpt-fixture', 'gpt-two']);
  });

  it('providers: rotates a credential; the new hint shows and neither key reaches the page', async () => {
    const { page } = session;
    const providers = new ProvidersPage(page);
    await providers.open();
    const rotated = newKey();
    await providers.rotate('openai-main', rotated);
    await providers.rotateForm().waitFor({ state: 'detached' });
    const newHint = `sk-...${rotated.slice(-4)}`;
    await providers.notice().getByText(newHint).waitFor();
    await providers.row('openai-main').getByTestId('credential-hint').filter({ hasText: newHint }).waitFor();
    expect((await credentialOf('openai-main'))?.secretHint).toBe(newHint);
    const html = await page.content();
    expect(html).not.toContain(rotated);
    expect(html).not.toContain(mainKey);

    // Editing changes the name and base URL; the key is not part of that form.
    await providers.startEdit('fleet-bump');
    expect(await providers.formField('API key').count()).toBe(0);
    await input(providers.form(), 'Base URL').fill('https://eu.api.example.com/v1');
    await input(providers.form(), 'Base URL').press('Enter');
    await providers.form().waitFor({ state: 'detached' });
    await providers.row('fleet-bump').getByText('https://eu.api.example.com/v1').waitFor();
  });

  it('models: a server error about one deployment row lands on that row’s field', async () => {
    const { page } = session;
    // A credential that exists while it is picked, and is gone when the form is sent.
    const { createProviderCredential: doomed } = await stack.api<{
      createProviderCredential: { id: string; secretHint: string };
    }>(
      'mutation ($input: CreateProviderCredentialInput!) { createProviderCredential(input: $input) { id secretHint } }',
      { input: { name: 'doomed', provider: 'OPENAI', baseUrl: 'https://api.example.com/v1', apiKey: newKey() } },
    );
    const models = new ModelsPage(page);
    await models.open();
    await models.startCreate();
    await models.fillModel({ name: 'gpt-rows', input: 1, output: 2, cached: 0.5 });
    await models.fillDeployment(0, { credential: fixtureLabel, upstreamModel: 'fixture-model', weight: 1 });
    await models.fillDeployment(1, { credential: `doomed (${doomed.secretHint})`, upstreamModel: 'gone', weight: 2 });
    await stack.api('mutation ($id: ID!) { deleteProviderCredential(id: $id) { id } }', { id: doomed.id });
    await models.submit();

    await models.rowField(1, 'Credential').getByText('does not exist').waitFor();
    // Focus moved to the control to fix.
    expect(await models.rowField(1, 'Credential').evaluate((el) => el.contains(document.activeElement))).toBe(true);
    expect(await isInvalid(models.deploymentRow(1), 'Credential')).toBe(true);
    expect(await isInvalid(models.deploymentRow(1), 'Upstream model')).toBe(false);
    expect(await isInvalid(models.deploymentRow(0), 'Credential')).toBe(false);
    expect(await isInvalid(models.form(), 'Name')).toBe(false);

    // A model-level field error still lands on its field: the name is taken.
    await models.removeDeploymentRow(1);
    await input(models.form(), 'Name').fill('gpt-two');
    await models.submit();
    await models.formField('Name').getByText('already exists').waitFor();
    await page.keyboard.press('Escape');
    await models.form().waitFor({ state: 'detached' });
    expect(await models.row('gpt-rows').count()).toBe(0);
  });

  it('works at tablet width: providers, a model, the fleet', async () => {
    const narrow = await browser.newSession({
      label: 'platform admin (tablet)',
      baseURL: stack.web.url,
      viewport: tablet,
    });
    const { page } = narrow;
    await signIn(page, stack.platformAdmin);
    const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

    const providers = new ProvidersPage(page);
    await providers.open();
    await providers.row('openai-main').waitFor();
    expect(await noSideways()).toBe(true);
    await narrow.screenshot('providers');

    // The new-model dialog, deployment rows included, works at this width too.
    const modelId = await createModel(page, {
      name: 'gpt-tablet',
      input: 0.15,
      output: 0.6,
      deployments: [
        { credential: fixtureLabel, upstreamModel: 'fixture-model', weight: 2 },
        { credential: fixtureLabel, upstreamModel: 'fixture-model-b', weight: 1 },
      ],
    });
    const detail = new ModelDetailPage(page);
    await detail.deploymentRow('fixture-model-b').waitFor();
    expect(await detail.share('fixture-model')).toBe('66.7 %');
    expect(modelId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await noSideways()).toBe(true);
    await narrow.screenshot('model-detail');

    const fleet = new FleetPage(page);
    await fleet.open();
    await fleet.row(nodeId).waitFor();
    expect(await noSideways()).toBe(true);
    await narrow.screenshot('fleet');
  });
});
