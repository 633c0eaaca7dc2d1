// The billing export through GraphQL and GET /export/usage.csv: exact lines and total with markup/discount, exchange
// rate and the currency's minor unit; periods from the anchor day; scope refusals and JSON errors on the HTTP route.
import { randomUUID } from 'node:crypto';
import type { UsageRecord } from '@gw/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKey, createOrg, createTeam, createUser } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { adminToken, dataPlaneToken } from '../../test-support/test-app.ts';
import { ingestMutation, scopedToken, usageRecord } from '../usage/test-records.ts';
import { lastCompletePeriod } from './billing-period.ts';

const t = useApiSuite();

const exportQuery = `query($org: ID!, $period: String, $from: DateTime, $to: DateTime) {
  billingExport(orgId: $org, period: $period, from: $from, to: $to) {
    orgId period from to currency markupPercent exchangeRate lineCount totalProviderCostUsd totalBilledAmount filename csv } }`;
const set = `mutation($org: ID!, $i: BillingSettingsInput!) { setBillingSettings(orgId: $org, input: $i) { source } }`;

interface ExportAnswer {
  billingExport: {
    period: string | null;
    from: string;
    to: string;
    lineCount: number;
    totalProviderCostUsd: string;
    totalBilledAmount: string;
    filename: string;
    csv: string;
  };
}

let orgA: string;
let orgB: string;
let team: string;
let user: string;
const keys = { k1: '', k2: '', k3: '' };
const tokens = { adminA: '', viewerA: '' };

beforeAll(async () => {
  orgA = await createOrg(t.app, 'Export Org', 'export-org');
  orgB = await createOrg(t.app, 'Other Org');
  team = await createTeam(t.app, orgA, 'Research');
  user = await createUser(t.app, orgA, 'ada@example.com', [team]);
  keys.k1 = (await createKey(t.app, { orgId: orgA, teamId: team, name: 'research, main' })).id;
  keys.k2 = (await createKey(t.app, { orgId: orgA, teamId: team, name: 'batch' })).id;
  keys.k3 = (await createKey(t.app, { orgId: orgA, name: '=HYPERLINK("x")' })).id;
  const r = (ts: string, costUsd: number, patch: Partial<UsageRecord>) =>
    usageRecord(orgA, { ts, costUsd, inputTokens: 1000, outputTokens: 100, cachedInputTokens: 10, ...patch });
  const l1 = { teamId: team, userId: user, keyId: keys.k1, moduleId: 'chat', model: 'gpt-4o-mini' };
  const l2 = { teamId: team, userId: null, keyId: keys.k2, model: 'claude', provider: 'anthropic' };
  const l3 = { keyId: keys.k3, model: 'half' };
  const records = [
    r('2030-11-01T00:00:00Z', 0.004, l1),
    r('2030-11-30T23:59:59Z', 0.0015, { ...l1, status: 500 }),
    r('2030-11-15T12:00:00Z', 1.23456789, l2),
    r('2030-11-20T08:30:00Z', 0.125, l3),
    // Outside 2030-11 (anchor day 1): the day before and the first instant after.
    r('2030-10-31T23:59:59Z', 100, l1),
    r('2030-12-01T00:00:00Z', 100, l1),
    usageRecord(orgB, { ts: '2030-11-10T00:00:00Z', costUsd: 7 }),
  ];
  expect((await t.app.gql(ingestMutation, { b: { records } }, dataPlaneToken)).data).toMatchObject({
    ingestUsage: { accepted: 7 },
  });
  tokens.adminA = await scopedToken(t.app.gql, 'ORG_ADMIN', orgA);
  tokens.viewerA = await scopedToken(t.app.gql, 'ORG_VIEWER', orgA);
});

const header =
  'record_type,org_id,period_start,period_end,team_id,team_name,user_id,user_email,key_id,key_name,module_id,model,' +
  'requests,input_tokens,cached_input_tokens,output_tokens,provider_cost_usd,markup_percent,exchange_rate,currency,' +
  'billed_amount';

/** The expected CSV for 2030-11 with the given settings and billed amounts of lines 3, 2, 1 and the total. */
function expectedCsv(pricing: string, billed: [string, string, string, string]): string {
  const p = `${orgA},2030-11-01T00:00:00Z,2030-12-01T00:00:00Z`;
  // Ordered by team (none first), user, key, module, model.
  const lines = [
    `line,${p},,,,,${keys.k3},"'=HYPERLINK(""x"")",,half,1,1000,10,100,0.1250000000,${pricing},${billed[0]}`,
    `line,${p},${team},Research,,,${keys.k2},batch,,claude,1,1000,10,100,1.2345678900,${pricing},${billed[1]}`,
    `line,${p},${team},Research,${user},ada@example.com,${keys.k1},"research, main",chat,gpt-4o-mini,2,2000,20,200,0.0055000000,${pricing},${billed[2]}`,
    `total,${p},,,,,,,,,4,4000,40,400,1.3650678900,${pricing},${billed[3]}`,
  ];
  return `${[header, ...lines].join('\r\n')}\r\n`;
}

async function exportOf(vars: Record<string, unknown>, token?: string) {
  return t.app.gql<ExportAnswer>(exportQuery, { org: orgA, ...vars }, token);
}

describe('billingExport', () => {
  it('bills provider cost as is by default, rounding half away from zero', async () => {
    const res = await exportOf({ period: '2030-11' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.billingExport).toMatchObject({
      period: '2030-11',
      from: '2030-11-01T00:00:00.000Z',
      to: '2030-12-01T00:00:00.000Z',
      lineCount: 3,
      totalProviderCostUsd: '1.3650678900',
      // 0.125 -> 0.13, 1.23456789 -> 1.23, 0.0055 -> 0.01; the total adds the rounded lines.
      totalBilledAmount: '1.37',
      filename: 'usage-export-org-2030-11.csv',
    });
    expect(res.data?.billingExport.csv).toBe(expectedCsv('0,1,USD', ['0.13', '1.23', '0.01', '1.37']));
  });

  it('applies a markup and converts to the currency', async () => {
    await t.app.gql(set, { org: orgA, i: { markupPercent: 20, currency: 'EUR', exchangeRate: 0.9 } });
    const res = await exportOf({ period: '2030-11' });
    // x 1.2 x 0.9 = x 1.08: 0.135 -> 0.14, 1.3333333212 -> 1.33, 0.00594 -> 0.01.
    expect(res.data?.billingExport.csv).toBe(expectedCsv('20,0.9,EUR', ['0.14', '1.33', '0.01', '1.48']));
    expect(res.data?.billingExport).toMatchObject({ currency: 'EUR', markupPercent: 20, exchangeRate: 0.9 });
  });

  it('applies a discount in a currency without minor units, and with three', async () => {
    await t.app.gql(set, { org: orgA, i: { markupPercent: -10, currency: 'JPY', exchangeRate: 150 } });
    // x 0.9 x 150 = x 135: 16.875 -> 17, 166.66666515 -> 167, 0.7425 -> 1.
    expect((await exportOf({ period: '2030-11' })).data?.billingExport.csv).toBe(
      expectedCsv('-10,150,JPY', ['17', '167', '1', '185']),
    );
    await t.app.gql(set, { org: orgA, i: { markupPercent: 0, currency: 'KWD', exchangeRate: 0.3075 } });
    // x 0.3075: 0.0384375 -> 0.038, 0.379629626... -> 0.380, 0.00169125 -> 0.002.
    expect((await exportOf({ period: '2030-11' })).data?.billingExport.csv).toBe(
      expectedCsv('0,0.3075,KWD', ['0.038', '0.380', '0.002', '0.420']),
    );
  });

  it('follows the anchor day, defaults to the last complete period, and takes an explicit window', async () => {
    await t.app.gql(set, { org: orgA, i: { markupPercent: 0, currency: 'USD', periodAnchorDay: 15 } });
    const anchored = (await exportOf({ period: '2030-11' })).data?.billingExport;
    expect(anchored).toMatchObject({ from: '2030-11-15T00:00:00.000Z', to: '2030-12-15T00:00:00.000Z' });
    // From the 15th: the line-2 record (12:00 on the 15th) through the one on 1 December.
    expect(anchored?.totalProviderCostUsd).toBe('101.3610678900');

    const last = lastCompletePeriod(new Date(), 15);
    const byDefault = (await exportOf({})).data?.billingExport;
    expect(byDefault).toMatchObject({ period: last.label, from: last.from.toISOString(), lineCount: 0 });
    expect(byDefault?.csv.split('\r\n')[1]).toBe(
      `total,${orgA},${last.from.toISOString().replace('.000Z', 'Z')},${last.to.toISOString().replace('.000Z', 'Z')},,,,,,,,,0,0,0,0,0.0000000000,0,1,USD,0.00`,
    );

    const window = (await exportOf({ from: '2030-11-20T00:00:00Z', to: '2030-11-21T00:00:00Z' })).data?.billingExport;
    expect(window).toMatchObject({
      period: null,
      lineCount: 1,
      totalProviderCostUsd: '0.1250000000',
      filename: 'usage-export-org-2030-11-20T000000Z_2030-11-21T000000Z.csv',
    });
    await t.app.gql(set, { org: orgA, i: { periodAnchorDay: 1 } });
  });

  it('refuses bad periods and windows with the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ period: '2030-13' }, 'period'],
      [{ period: 'november' }, 'period'],
      [{ period: '2030-11', from: '2030-11-01T00:00:00Z', to: '2030-12-01T00:00:00Z' }, 'period'],
      [{ from: '2030-11-01T00:00:00Z' }, 'to'],
      [{ to: '2030-11-01T00:00:00Z' }, 'from'],
      [{ from: '2030-11-01T00:30:00Z', to: '2030-12-01T00:00:00Z' }, 'from'],
      [{ from: '2030-12-01T00:00:00Z', to: '2030-11-01T00:00:00Z' }, 'to'],
      [{ from: '2030-01-01T00:00:00Z', to: '2031-01-03T00:00:00Z' }, 'to'],
    ];
    for (const [vars, field] of cases) {
      const res = await exportOf(vars);
      expect(res.errors?.[0].extensions, JSON.stringify(vars)).toEqual({ code: 'BAD_USER_INPUT', field });
    }
  });

  it("is readable by the org's admins and viewers only", async () => {
    for (const token of [tokens.adminA, tokens.viewerA]) {
      expect((await exportOf({ period: '2030-11' }, token)).data?.billingExport.lineCount).toBe(3);
      const foreign = await t.app.gql(exportQuery, { org: orgB, period: '2030-11' }, token);
      expect(foreign.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await exportOf({ period: '2030-11' }, dataPlaneToken)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const missing = await t.app.gql(exportQuery, { org: randomUUID(), period: '2030-11' });
    expect(missing.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND', field: 'orgId' });
  });

  it('reads the rollups only', async () => {
    const before = (await exportOf({ period: '2030-11' })).data;
    await t.db.query('alter table usage_records rename to usage_records_hidden');
    try {
      expect((await exportOf({ period: '2030-11' })).data).toEqual(before);
    } finally {
      await t.db.query('alter table usage_records_hidden rename to usage_records');
    }
  });
});

describe('GET /export/usage.csv', () => {
  const get = (query: string, token: string | null = adminToken, method = 'GET') =>
    fetch(`${t.app.url}/export/usage.csv${query}`, {
      method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('downloads the same CSV as the GraphQL field', async () => {
    const graphql = (await exportOf({ period: '2030-11' })).data?.billingExport;
    for (const token of [adminToken, tokens.adminA, tokens.viewerA]) {
      const res = await get(`?orgId=${orgA}&period=2030-11`, token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="usage-export-org-2030-11.csv"');
      expect(await res.text()).toBe(graphql?.csv);
    }
    const window = await get(`?orgId=${orgA}&from=2030-11-20T00:00:00Z&to=2030-11-21T00:00:00Z`);
    expect((await window.text()).split('\r\n')).toHaveLength(4);
  });

  it('answers 401 without a valid token and 403 outside the caller scope', async () => {
    for (const token of [null, 'gwt_not-a-token']) {
      const res = await get(`?orgId=${orgA}&period=2030-11`, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
    }
    for (const token of [tokens.adminA, tokens.viewerA, dataPlaneToken]) {
      const res = await get(`?orgId=${orgB}&period=2030-11`, token);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
    }
  });

  it('answers 400 with the parameter for bad input, 404 for an unknown org, 405 for other methods', async () => {
    const cases: [string, string][] = [
      ['', 'orgId'],
      [`?orgId=${orgA}&period=2030-13`, 'period'],
      [`?orgId=${orgA}&from=yesterday&to=2030-11-02T00:00:00Z`, 'from'],
      [`?orgId=${orgA}&from=2030-11-01T00:00:00Z`, 'to'],
      [`?orgId=${orgA}&month=2030-11`, 'month'],
      [`?orgId=${orgA}&period=2030-11&period=2030-10`, 'period'],
    ];
    for (const [query, field] of cases) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'BAD_USER_INPUT', message: expect.any(String), field } });
    }
    const missing = await get(`?orgId=${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({ code: 'NOT_FOUND', field: 'orgId' });
    const post = await get(`?orgId=${orgA}`, adminToken, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
