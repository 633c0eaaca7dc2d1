// Usage dashboards in a browser: an org admin watches real traffic (the official openai client through a real data
// plane, plain and streamed) arrive on the org's usage page without a reload, breaks it down by model and key (names,
// not ids), exports what is shown as CSV; a platform admin finds the org on the platform-wide page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, waitFor } from '../harness/index.ts';
import { signIn } from './commands/sign-in.ts';
import { laptop, tablet, useBrowser } from './fixtures/browser.ts';
import { type Login, startWebStack, type WebStack } from './fixtures/stack.ts';
import { csvRecords, UsagePage } from './pages/usage-page.ts';

interface Totals {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

const count = (n: number) => new Intl.NumberFormat('en-US').format(n);

describe('usage dashboards', () => {
  const browser = useBrowser();
  let stack: WebStack;
  let orgId: string;
  let orgAdmin: Login;
  let secret: string;
  let keyId: string;
  let quietSecret: string;
  const quietOrg = 'Quiet Org';
  const orgName = 'Usage Dash Corp';
  const keyName = 'checkout-service';

  beforeAll(async () => {
    stack = await startWebStack({ name: 'usage-dashboard', dataPlane: true });
    const { createOrganization } = await stack.api<{ createOrganization: { id: string } }>(
      'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      { input: { name: orgName } },
    );
    orgId = createOrganization.id;
    const { createTeam } = await stack.api<{ createTeam: { id: string } }>(
      'mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }',
      { input: { orgId, name: 'Payments' } },
    );
    const { createUser } = await stack.api<{ createUser: { id: string } }>(
      'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
      { input: { orgId, email: 'dev@usage-dash.test', name: 'Dana Dev', teamIds: [createTeam.id] } },
    );
    const key = await createKey(stack.api, { orgId, teamId: createTeam.id, userId: createUser.id, name: keyName });
    secret = key.secret;
    keyId = key.id;
    orgAdmin = await stack.createAdmin('ORG_ADMIN', orgId, 'ops@usage-dash.test');
    // A second org with traffic of its own, for the platform page's org filter.
    const quiet = await stack.api<{ createOrganization: { id: string } }>(
      'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
      { input: { name: quietOrg } },
    );
    const quietTeam = await stack.api<{ createTeam: { id: string } }>(
      'mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }',
      { input: { orgId: quiet.createOrganization.id, name: 'Ops' } },
    );
    const quietKey = await createKey(stack.api, {
      orgId: quiet.createOrganization.id,
      teamId: quietTeam.createTeam.id,
      name: 'batch',
    });
    quietSecret = quietKey.secret;
    // The data plane must know the keys before traffic: wait until a call goes through.
    for (const s of [secret, quietSecret]) {
      await waitFor(
        'the data plane to accept the new key',
        async () => {
          try {
            await stack.openai(s).models.list();
            return true;
          } catch {
            return false;
          }
        },
        { timeoutMs: 20_000, intervalMs: 200 },
      );
    }
  });

  afterAll(() => stack?.stop());

  async function apiTotals(): Promise<Totals> {
    const now = Date.now();
    const to = new Date(Math.floor(now / 3_600_000) * 3_600_000 + 3_600_000).toISOString();
    const from = new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
    const { usageTotals } = await stack.api<{ usageTotals: Totals }>(
      'query ($o: ID, $f: DateTime!, $t: DateTime!) { usageTotals(orgId: $o, from: $f, to: $t) { requests errors inputTokens outputTokens costUsd } }',
      { o: orgId, f: from, t: to },
    );
    return usageTotals;
  }

  async function chat(key: string, stream: boolean, n: number): Promise<void> {
    const client = stack.openai(key);
    const messages = [{ role: 'user' as const, content: `usage dashboard call ${n}` }];
    if (stream) {
      let text = '';
      for await (const c of await client.chat.completions.create({ model: 'gpt-fixture', messages, stream: true })) {
        text += c.choices[0]?.delta.content ?? '';
      }
      expect(text).toContain(`usage dashboard call ${n}`);
    } else {
      const r = await client.chat.completions.create({ model: 'gpt-fixture', messages });
      expect(r.choices[0]?.message.content).toContain(`usage dashboard call ${n}`);
    }
  }

  /** How long live figures may take: the data plane's batching, then the feed's one-second coalescing. */
  const live = { timeoutMs: 20_000, intervalMs: 200 };

  /** At tablet width: the charts shrink with the window, nothing spills out; then as a tablet opens it. */
  async function checkTablet(usage: UsagePage): Promise<void> {
    const { page } = usage;
    const wide = (await usage.chart('cost').locator('canvas').first().boundingBox())?.width ?? 0;
    await page.setViewportSize(tablet);
    // The charts follow their container: a new width (the layout may go from two columns to one, so not
    // necessarily narrower), filling the container and inside the window.
    await waitFor('the chart to follow the window', async () => {
      const box = await usage.chart('cost').locator('canvas').first().boundingBox();
      const container = await usage.chart('cost').boundingBox();
      return (
        box !== null &&
        container !== null &&
        Math.abs(box.width - wide) > 1 &&
        Math.abs(box.width - container.width) <= 2 &&
        box.x + box.width <= tablet.width
      );
    });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // A tablet opens the page at this width (the side menu starts folded).
    await page.reload();
    await usage.waitForLoaded();
    await usage.chart('cost').locator('canvas').first().waitFor();
    for (const part of [page.getByTestId('usage-dashboard'), usage.totalCell('cost'), usage.chart('tokens')]) {
      const box = await part.boundingBox();
      expect(box && box.x + box.width <= tablet.width, 'fits the tablet width').toBe(true);
    }
    await usage.chartsDrawn();
  }

  it('an org admin sees traffic arrive live, by model and by key, and exports it', async () => {
    const session = await browser.newSession({ label: 'org admin', baseURL: stack.web.url, viewport: laptop });
    const { page } = session;
    await signIn(page, orgAdmin);
    const usage = new UsagePage(page);
    await usage.openOrg(orgId);
    await usage.live().waitFor();
    expect(await usage.total('requests')).toBe(0);
    await page.getByText('No usage in this period.').first().waitFor();

    // A mark on the window: it survives only if the page is never reloaded.
    await page.evaluate(() => Object.assign(window, { usageMark: 'no reload' }));
    await chat(secret, false, 1);
    await chat(secret, true, 2);
    await chat(secret, false, 3);
    await chat(secret, true, 4);

    // The data plane batches usage to the control plane; the page follows through the subscription alone (its
    // periodic re-read is a minute away).
    await waitFor('the totals to count 4 requests', async () => (await usage.total('requests')) === 4, {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    expect(await page.evaluate(() => (window as unknown as { usageMark?: string }).usageMark)).toBe('no reload');

    // The cards agree with the API (after the debounced re-read, exact figures).
    const api = await apiTotals();
    expect(api.requests).toBe(4);
    expect(api.inputTokens).toBeGreaterThan(0);
    await waitFor(
      'the token cards to match the API',
      async () =>
        (await usage.totalText('input-tokens')) === count(api.inputTokens) &&
        (await usage.totalText('output-tokens')) === count(api.outputTokens),
    );
    expect(await usage.totalText('errors')).toBe('0');
    expect(await usage.totalText('cost')).toMatch(/^\$0\.0\d{2,5}$|^\$0\.\d{2,4}$/);

    // By model (the default breakdown): the model's row, and the charts drawn.
    await usage.row('gpt-fixture').waitFor();
    expect((await usage.rowCells('gpt-fixture')).slice(0, 3)).toEqual(['1', 'gpt-fixture', '4']);
    await usage.chart('cost').locator('canvas').first().waitFor();
    await usage.chart('tokens').locator('canvas').first().waitFor();

    // By key: the key's name, not its id.
    await usage.breakDownBy('Key');
    await usage.row(keyName).waitFor();
    const cells = await usage.rowCells(keyName);
    expect(cells[1]).toContain(keyName);
    expect(cells[1]).not.toContain(keyId);
    expect(cells[2]).toBe('4');
    expect(await usage.rows().count()).toBe(1);

    // CSV of the table as shown.
    const table = await usage.export('table');
    expect(table.filename).toMatch(/^usage-.+-top-by-key-.+\.csv$/);
    const records = csvRecords(table.text);
    expect(records).toEqual([
      {
        rank: '1',
        key_id: keyId,
        key_name: keyName,
        requests: '4',
        errors: '0',
        input_tokens: String(api.inputTokens),
        cached_input_tokens: expect.any(String),
        output_tokens: String(api.outputTokens),
        cost_usd: expect.any(String),
      },
    ]);
    expect(Number(records[0]?.cost_usd)).toBeCloseTo(api.costUsd, 9);

    // CSV of the charted series: its rows add up to the totals.
    const series = await usage.export('series');
    const points = csvRecords(series.text);
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((p) => p.key_name === keyName)).toBe(true);
    expect(points.reduce((s, p) => s + Number(p.requests), 0)).toBe(4);
    expect(points.reduce((s, p) => s + Number(p.input_tokens), 0)).toBe(api.inputTokens);

    // By team and by user: their names; by module: the key has none, said so in words.
    for (const [dimension, name] of [
      ['Team', 'Payments'],
      ['User', 'Dana Dev'],
      ['Module', 'No module'],
    ] as const) {
      await usage.breakDownBy(dimension);
      await usage.row(name).waitFor();
      expect((await usage.rowCells(name))[2]).toBe('4');
    }
    // The charts' rest is exactly the usage without a module, and is named so (the export lists what they show).
    const byModule = csvRecords((await usage.export('series')).text);
    expect(byModule.length).toBeGreaterThan(0);
    expect(byModule.every((p) => p.module_id === '' && p.module_name === 'No module')).toBe(true);
    await usage.breakDownBy('Key');

    // Last month has none of it, and is not live.
    await usage.choosePreset('lastMonth');
    await waitFor('last month to show no requests', async () => (await usage.total('requests')) === 0);
    expect(await usage.live().count()).toBe(0);
    // A custom period (UTC days, the last one today) follows live too; the view is kept in the address.
    await usage.choosePreset('custom');
    await page.getByTestId('usage-custom-range').waitFor();
    await waitFor('the custom period to count the 4 requests', async () => (await usage.total('requests')) === 4);
    expect(await usage.windowText()).toMatch(/00:00 – .+ UTC$/);
    await usage.live().waitFor();
    expect(new URL(page.url()).searchParams.get('range')).toBe('custom');
    await usage.choosePreset('last24h');
    await waitFor('the last 24 h to show the 4 requests', async () => (await usage.total('requests')) === 4);
    await usage.live().waitFor();
    await usage.row(keyName).waitFor();
    await usage.chart('cost').locator('canvas').first().waitFor();

    await usage.chartsDrawn();
    await session.screenshot('org-usage');
    await checkTablet(usage);
    await session.screenshot('org-usage');
    // The reload kept the view from the address: the last 24 h, by key.
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({ range: 'last24h', by: 'key' });
    await usage.row(keyName).waitFor();
    expect(await usage.total('requests')).toBe(4);
    await session.close();
  });

  it('a platform admin sees the org on the platform-wide page, and its traffic live', async () => {
    const session = await browser.newSession({ label: 'platform admin', baseURL: stack.web.url, viewport: laptop });
    const { page } = session;
    await signIn(page, stack.platformAdmin);
    const usage = new UsagePage(page);
    // The other org's request, sent just before: the page counts it, at once or live.
    await chat(quietSecret, false, 100);
    await usage.openPlatform();
    await usage.row(orgName).waitFor();
    expect((await usage.rowCells(orgName)).slice(1, 3)).toEqual([orgName, '4']);
    await usage.live().waitFor();
    await waitFor('the platform totals to count 5 requests', async () => (await usage.total('requests')) === 5, live);
    await usage.row(quietOrg).waitFor();

    await chat(secret, false, 5);
    await waitFor('the platform totals to count 6 requests', async () => (await usage.total('requests')) === 6, live);
    await waitFor('the org row to count 5', async () => (await usage.rowCells(orgName))[2] === '5');

    // Narrowed to one org: its figures only, still live.
    await usage.filterOrg(orgName);
    await waitFor('the filtered totals to count 5', async () => (await usage.total('requests')) === 5);
    await waitFor('only the org to be listed', async () => (await usage.rows().count()) === 1);
    await chat(secret, true, 6);
    await waitFor('the filtered totals to count 6', async () => (await usage.total('requests')) === 6, live);

    // By key, platform-wide: the key's name and its org's name.
    await usage.breakDownBy('Key');
    await usage.row(keyName).waitFor();
    await waitFor('the key row to name its org', async () => (await usage.rowCells(keyName))[2] === orgName);

    await usage.breakDownBy('Organization');
    await usage.row(orgName).waitFor();
    await usage.chart('cost').locator('canvas').first().waitFor();
    await usage.chartsDrawn();
    await session.screenshot('platform-usage');
    await checkTablet(usage);
    await session.screenshot('platform-usage');
    // The reload kept the org filter from the address.
    await waitFor('the filtered totals after the reload', async () => (await usage.total('requests')) === 6);
    expect(new URL(page.url()).searchParams.getAll('org')).toHaveLength(1);
    await session.close();
  });
});
