// Billing settings: the platform default and per-org overrides, partial updates, field-level validation, audit
// events, and scope (org roles read their own org's settings; only platform admins write).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { dataPlaneToken } from '../../test-support/test-app.ts';
import { scopedToken } from '../usage/test-records.ts';

const t = useApiSuite();

const fields = 'orgId source markupPercent currency exchangeRate periodAnchorDay updatedBy';
const read = `query($org: ID!) { billingSettings(orgId: $org) { ${fields} } }`;
const readDefault = `{ defaultBillingSettings { ${fields} } }`;
const set = `mutation($org: ID!, $i: BillingSettingsInput!) { setBillingSettings(orgId: $org, input: $i) { ${fields} } }`;
const reset = `mutation($org: ID!) { resetBillingSettings(orgId: $org) { ${fields} } }`;
const setDefault = `mutation($i: BillingSettingsInput!) { setDefaultBillingSettings(input: $i) { ${fields} } }`;

let orgA: string;
let orgB: string;
const tokens = { adminA: '', viewerA: '', platform: '' };

beforeAll(async () => {
  orgA = await createOrg(t.app, 'Billing A');
  orgB = await createOrg(t.app, 'Billing B');
  tokens.adminA = await scopedToken(t.app.gql, 'ORG_ADMIN', orgA);
  tokens.viewerA = await scopedToken(t.app.gql, 'ORG_VIEWER', orgA);
  tokens.platform = await scopedToken(t.app.gql, 'PLATFORM_ADMIN', null);
});

async function auditOf(action: string) {
  return t.db.query(
    'select actor_label, org_id, target_id, before, after from audit_events where action = $1 order by id',
    [action],
  );
}

describe('billing settings', () => {
  it('start from the platform default, then follow the org settings, and reset to the default', async () => {
    const initial = await t.app.gql(read, { org: orgA });
    expect(initial.data).toEqual({
      billingSettings: {
        orgId: orgA,
        source: 'PLATFORM_DEFAULT',
        markupPercent: 0,
        currency: 'USD',
        exchangeRate: 1,
        periodAnchorDay: 1,
        updatedBy: 'migration',
      },
    });

    const own = { markupPercent: 20, currency: 'EUR', exchangeRate: 0.92, periodAnchorDay: 15 };
    const res = await t.app.gql(set, { org: orgA, i: own });
    expect(res.data).toEqual({
      setBillingSettings: { orgId: orgA, source: 'ORG', ...own, updatedBy: 'ADMIN_TOKEN' },
    });
    // Omitted fields keep their values.
    const discount = await t.app.gql(set, { org: orgA, i: { markupPercent: -10.5 } }, tokens.platform);
    expect(discount.data?.setBillingSettings).toMatchObject({ ...own, markupPercent: -10.5, source: 'ORG' });
    expect(await auditOf('billingSettings.set')).toEqual([
      {
        actor_label: 'ADMIN_TOKEN',
        org_id: orgA,
        target_id: orgA,
        before: null,
        after: { markupPercent: '20', currency: 'EUR', exchangeRate: '0.92', periodAnchorDay: 15 },
      },
      {
        actor_label: expect.stringMatching(/^platform_admin-/),
        org_id: orgA,
        target_id: orgA,
        before: { markupPercent: '20', currency: 'EUR', exchangeRate: '0.92', periodAnchorDay: 15 },
        after: { markupPercent: '-10.5', currency: 'EUR', exchangeRate: '0.92', periodAnchorDay: 15 },
      },
    ]);

    // The default changes orgs that follow it, not orgs with settings of their own.
    const def = await t.app.gql(setDefault, { i: { markupPercent: 5, periodAnchorDay: 3 } });
    expect(def.data?.setDefaultBillingSettings).toMatchObject({
      orgId: null,
      source: 'PLATFORM_DEFAULT',
      markupPercent: 5,
      currency: 'USD',
      periodAnchorDay: 3,
    });
    expect((await t.app.gql(read, { org: orgB })).data?.billingSettings).toMatchObject({
      source: 'PLATFORM_DEFAULT',
      markupPercent: 5,
      periodAnchorDay: 3,
    });
    expect((await t.app.gql(read, { org: orgA })).data?.billingSettings).toMatchObject({ markupPercent: -10.5 });
    expect(await auditOf('billingSettings.setDefault')).toEqual([
      {
        actor_label: 'ADMIN_TOKEN',
        org_id: null,
        target_id: null,
        before: { markupPercent: '0', currency: 'USD', exchangeRate: '1', periodAnchorDay: 1 },
        after: { markupPercent: '5', currency: 'USD', exchangeRate: '1', periodAnchorDay: 3 },
      },
    ]);

    const back = await t.app.gql(reset, { org: orgA });
    expect(back.data?.resetBillingSettings).toMatchObject({
      orgId: orgA,
      source: 'PLATFORM_DEFAULT',
      markupPercent: 5,
      currency: 'USD',
    });
    expect(await auditOf('billingSettings.reset')).toEqual([
      {
        actor_label: 'ADMIN_TOKEN',
        org_id: orgA,
        target_id: orgA,
        before: { markupPercent: '-10.5', currency: 'EUR', exchangeRate: '0.92', periodAnchorDay: 15 },
        after: null,
      },
    ]);
  });

  it('switch to USD at a rate of 1 and keep the rate when the currency stays', async () => {
    await t.app.gql(set, { org: orgB, i: { currency: 'JPY', exchangeRate: 151.25 } });
    const same = await t.app.gql(set, { org: orgB, i: { currency: 'JPY', markupPercent: 1 } });
    expect(same.data?.setBillingSettings).toMatchObject({ currency: 'JPY', exchangeRate: 151.25, markupPercent: 1 });
    const usd = await t.app.gql(set, { org: orgB, i: { currency: 'USD' } });
    expect(usd.data?.setBillingSettings).toMatchObject({ currency: 'USD', exchangeRate: 1 });
    await t.app.gql(reset, { org: orgB });
  });
});

describe('billing settings input errors', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a markup above 1000', { markupPercent: 1000.5 }, 'input.markupPercent'],
    ['a discount beyond 100%', { markupPercent: -100.01 }, 'input.markupPercent'],
    ['a markup with 5 decimals', { markupPercent: 12.34567 }, 'input.markupPercent'],
    ['a lowercase currency', { currency: 'eur', exchangeRate: 1 }, 'input.currency'],
    ['an unknown currency', { currency: 'XYZ', exchangeRate: 1 }, 'input.currency'],
    ['a new currency without its rate', { currency: 'EUR' }, 'input.exchangeRate'],
    ['a rate other than 1 for USD', { exchangeRate: 2 }, 'input.exchangeRate'],
    ['a rate of 0', { currency: 'EUR', exchangeRate: 0 }, 'input.exchangeRate'],
    ['a negative rate', { currency: 'EUR', exchangeRate: -1 }, 'input.exchangeRate'],
    ['a rate above 1000000', { currency: 'EUR', exchangeRate: 1_000_001 }, 'input.exchangeRate'],
    ['a rate with 11 decimals', { currency: 'EUR', exchangeRate: 0.12345678901 }, 'input.exchangeRate'],
    ['an anchor day of 0', { periodAnchorDay: 0 }, 'input.periodAnchorDay'],
    ['an anchor day of 29', { periodAnchorDay: 29 }, 'input.periodAnchorDay'],
    ['nothing to change', {}, 'input'],
  ];
  it.each(cases)('refuses %s with the field, writing nothing', async (_name, input, field) => {
    const [{ n: before }] = await t.db.query('select count(*)::int as n from audit_events');
    for (const [query, vars] of [
      [set, { org: orgA, i: input }],
      [setDefault, { i: input }],
    ] as const) {
      const res = await t.app.gql(query, vars);
      expect(res.data).toBeNull();
      expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    }
    const [{ n: after }] = await t.db.query('select count(*)::int as n from audit_events');
    expect(after).toBe(before);
  });

  it('answers NOT_FOUND for an org that does not exist', async () => {
    for (const [query, vars] of [
      [read, { org: randomUUID() }],
      [set, { org: randomUUID(), i: { markupPercent: 1 } }],
      [reset, { org: 'not-a-uuid' }],
    ] as const) {
      const res = await t.app.gql(query, vars);
      expect(res.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND', field: 'orgId' });
    }
  });
});

describe('billing settings scope', () => {
  it("lets an org's admins and viewers read their own org's settings only", async () => {
    for (const token of [tokens.adminA, tokens.viewerA]) {
      expect((await t.app.gql(read, { org: orgA }, token)).errors).toBeUndefined();
      for (const [query, vars] of [
        [read, { org: orgB }],
        [readDefault, {}],
      ] as const) {
        const res = await t.app.gql(query, vars, token);
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    }
    expect((await t.app.gql(readDefault, {}, tokens.platform)).errors).toBeUndefined();
  });

  it('lets only platform admins write, and audits nothing that was refused', async () => {
    const [{ n: before }] = await t.db.query('select count(*)::int as n from audit_events');
    for (const token of [tokens.adminA, tokens.viewerA, dataPlaneToken]) {
      for (const [query, vars] of [
        [set, { org: orgA, i: { markupPercent: 1 } }],
        [set, { org: orgB, i: { markupPercent: 1 } }],
        [reset, { org: orgA }],
        [setDefault, { i: { markupPercent: 1 } }],
      ] as const) {
        const res = await t.app.gql(query, vars, token);
        expect(res.data).toBeNull();
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    }
    const anonymous = await t.app.gql(read, { org: orgA }, null);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const [{ n: after }] = await t.db.query('select count(*)::int as n from audit_events');
    expect(after).toBe(before);
  });
});
