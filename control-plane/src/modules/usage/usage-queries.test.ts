// Usage series, top-N and totals through GraphQL: exact buckets, grouping, filters and ranking; scope refusals;
// field-level input errors; and proof that every shape reads the rollups, never usage_records.
import { randomUUID } from 'node:crypto';
import type { UsageRecord } from '@gw/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrg } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { dataPlaneToken } from '../../test-support/test-app.ts';
import { ingestMutation, scopedToken, usageRecord } from './test-records.ts';
import { UsageService } from './usage.service.ts';

const t = useApiSuite();

const ids = { k1: randomUUID(), k2: randomUUID(), k3: randomUUID(), kb: randomUUID(), t1: randomUUID() };
const u1 = randomUUID();
const u2 = randomUUID();
let orgA: string;
let orgB: string;
const tokens: Record<'adminA' | 'viewerA' | 'platform', string> = { adminA: '', viewerA: '', platform: '' };

const amounts = 'requests errors inputTokens outputTokens cachedInputTokens costUsd';
const point = `bucketStart orgId teamId userId keyId moduleId model provider ${amounts}`;
const seriesQuery = `query($org: ID, $from: DateTime!, $to: DateTime!, $bucket: UsageBucket!, $groupBy: [UsageDimension!],
    $filter: UsageFilter, $first: Int, $after: String, $last: Int, $before: String) {
  usageSeries(orgId: $org, from: $from, to: $to, bucket: $bucket, groupBy: $groupBy, filter: $filter, first: $first,
              after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { ${point} } } }`;
const topQuery = `query($org: ID, $from: DateTime!, $to: DateTime!, $by: UsageDimension!, $metric: UsageMetric, $limit: Int,
    $filter: UsageFilter) {
  usageTop(orgId: $org, from: $from, to: $to, by: $by, metric: $metric, limit: $limit, filter: $filter) { value ${amounts} } }`;
const totalsQuery = `query($org: ID, $from: DateTime!, $to: DateTime!, $filter: UsageFilter) {
  usageTotals(orgId: $org, from: $from, to: $to, filter: $filter) { ${amounts} } }`;

interface Point {
  bucketStart: string;
  [k: string]: unknown;
}
interface SeriesAnswer {
  usageSeries: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
    nodes: Point[];
  };
}

const a1: Partial<UsageRecord> = { keyId: ids.k1, teamId: ids.t1, userId: u1, moduleId: 'chat' };
const a2: Partial<UsageRecord> = { keyId: ids.k2, teamId: ids.t1, userId: u2 };
const a3: Partial<UsageRecord> = { keyId: ids.k3 };
const m1: Partial<UsageRecord> = { model: 'gpt-4o-mini', provider: 'openai' };
const m2: Partial<UsageRecord> = { model: 'claude', provider: 'anthropic' };

function rec(org: string, ts: string, n: number, patch: Partial<UsageRecord>): UsageRecord {
  return usageRecord(org, {
    ts,
    inputTokens: 100 * n,
    outputTokens: 10 * n,
    cachedInputTokens: 0,
    costUsd: n / 1000,
    ...patch,
  });
}

beforeAll(async () => {
  orgA = await createOrg(t.app, 'Usage Query A');
  orgB = await createOrg(t.app, 'Usage Query B');
  const records = [
    rec(orgA, '2030-01-31T22:15:00Z', 1, { ...a1, ...m1, cachedInputTokens: 5 }),
    rec(orgA, '2030-01-31T22:45:00Z', 2, { ...a1, ...m1, status: 500, errorCode: 'provider_error' }),
    rec(orgA, '2030-01-31T23:05:00Z', 3, { ...a2, ...m2 }),
    rec(orgA, '2030-02-01T00:10:00Z', 4, { ...a3, ...m1 }),
    rec(orgA, '2030-02-01T10:00:00Z', 5, { ...a2, ...m2, status: 429, errorCode: 'rate_limited' }),
    rec(orgA, '2030-03-01T00:00:00Z', 6, { ...a1, ...m2 }),
    rec(orgB, '2030-01-31T22:30:00Z', 1000, { keyId: ids.kb, ...m1 }),
  ];
  const res = await t.app.gql(ingestMutation, { b: { records } }, dataPlaneToken);
  expect(res.data).toMatchObject({ ingestUsage: { accepted: 7 } });
  tokens.adminA = await scopedToken(t.app.gql, 'ORG_ADMIN', orgA);
  tokens.viewerA = await scopedToken(t.app.gql, 'ORG_VIEWER', orgA);
  tokens.platform = await scopedToken(t.app.gql, 'PLATFORM_ADMIN', null);
});

async function series(vars: Record<string, unknown>, token?: string) {
  return t.app.gql<SeriesAnswer>(seriesQuery, vars, token);
}

const zeroDims = { orgId: null, teamId: null, userId: null, keyId: null, moduleId: null, model: null, provider: null };
const sums = (n: number[], extra: Record<string, unknown> = {}) => ({
  requests: n.length,
  errors: 0,
  inputTokens: 100 * n.reduce((a, b) => a + b, 0),
  outputTokens: 10 * n.reduce((a, b) => a + b, 0),
  cachedInputTokens: 0,
  costUsd: n.reduce((a, b) => a + b, 0) / 1000,
  ...extra,
});

describe('usageSeries', () => {
  it('sums UTC hours exactly', async () => {
    const res = await series({ org: orgA, from: '2030-01-31T22:00:00Z', to: '2030-02-01T01:00:00Z', bucket: 'HOUR' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.usageSeries.nodes).toEqual([
      { bucketStart: '2030-01-31T22:00:00.000Z', ...zeroDims, ...sums([1, 2], { errors: 1, cachedInputTokens: 5 }) },
      { bucketStart: '2030-01-31T23:00:00.000Z', ...zeroDims, ...sums([3]) },
      { bucketStart: '2030-02-01T00:00:00.000Z', ...zeroDims, ...sums([4]) },
    ]);
  });

  it('groups days by model, and counts only the part of a day inside the window', async () => {
    const res = await series({
      org: orgA,
      from: '2030-01-31T00:00:00Z',
      to: '2030-03-02T00:00:00Z',
      bucket: 'DAY',
      groupBy: ['MODEL'],
    });
    const day = (d: string, model: string, n: number[], extra = {}) => ({
      bucketStart: `2030-${d}T00:00:00.000Z`,
      ...zeroDims,
      model,
      ...sums(n, extra),
    });
    expect(res.data?.usageSeries.nodes).toEqual([
      day('01-31', 'claude', [3]),
      day('01-31', 'gpt-4o-mini', [1, 2], { errors: 1, cachedInputTokens: 5 }),
      day('02-01', 'claude', [5], { errors: 1 }),
      day('02-01', 'gpt-4o-mini', [4]),
      day('03-01', 'claude', [6]),
    ]);

    const partial = await series({
      org: orgA,
      from: '2030-01-31T23:00:00Z',
      to: '2030-02-01T01:00:00Z',
      bucket: 'DAY',
    });
    expect(partial.data?.usageSeries.nodes).toEqual([
      { bucketStart: '2030-01-31T00:00:00.000Z', ...zeroDims, ...sums([3]) },
      { bucketStart: '2030-02-01T00:00:00.000Z', ...zeroDims, ...sums([4]) },
    ]);
  });

  it('groups calendar months by team and user (no team sorts first)', async () => {
    const res = await series({
      org: orgA,
      from: '2030-01-01T00:00:00Z',
      to: '2030-04-01T00:00:00Z',
      bucket: 'MONTH',
      groupBy: ['TEAM', 'USER'],
    });
    const m = (month: string, teamId: string | null, userId: string | null, n: number[], extra = {}) => ({
      bucketStart: `2030-${month}-01T00:00:00.000Z`,
      ...zeroDims,
      teamId,
      userId,
      ...sums(n, extra),
    });
    // Dimension values order bytewise (COLLATE "C"), as JavaScript compares these ASCII ids.
    const jan = [m('01', ids.t1, u1, [1, 2], { errors: 1, cachedInputTokens: 5 }), m('01', ids.t1, u2, [3])];
    if (u2 < u1) jan.reverse();
    expect(res.data?.usageSeries.nodes).toEqual([
      ...jan,
      m('02', null, null, [4]),
      m('02', ids.t1, u2, [5], { errors: 1 }),
      m('03', ids.t1, u1, [6]),
    ]);
  });

  it('filters by key, module and provider', async () => {
    const window = { org: orgA, from: '2030-01-01T00:00:00Z', to: '2030-04-01T00:00:00Z', bucket: 'MONTH' };
    const byKey = await series({ ...window, groupBy: ['KEY'], filter: { keyIds: [ids.k2, ids.k3] } });
    const feb = [ids.k2, ids.k3].sort().map((k) => ['2030-02', k, 1]);
    expect(byKey.data?.usageSeries.nodes.map((p) => [p.bucketStart.slice(0, 7), p.keyId, p.requests])).toEqual([
      ['2030-01', ids.k2, 1],
      ...feb,
    ]);
    const byModule = await series({ ...window, groupBy: ['MODULE'], filter: { moduleIds: ['chat'] } });
    expect(byModule.data?.usageSeries.nodes.map((p) => [p.moduleId, p.requests])).toEqual([
      ['chat', 2],
      ['chat', 1],
    ]);
    const anthropic = await series({ ...window, groupBy: ['PROVIDER'], filter: { providers: ['anthropic'] } });
    expect(anthropic.data?.usageSeries.nodes.map((p) => [p.provider, p.costUsd])).toEqual([
      ['anthropic', 0.003],
      ['anthropic', 0.005],
      ['anthropic', 0.006],
    ]);
  });

  it('pages forward and backward with cursors', async () => {
    const vars = {
      org: orgA,
      from: '2030-01-31T00:00:00Z',
      to: '2030-03-02T00:00:00Z',
      bucket: 'DAY',
      groupBy: ['MODEL'],
    };
    const all = (await series(vars)).data!.usageSeries.nodes;
    const p1 = (await series({ ...vars, first: 2 })).data!.usageSeries;
    expect(p1).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    const p2 = (await series({ ...vars, first: 2, after: p1.pageInfo.endCursor })).data!.usageSeries;
    const p3 = (await series({ ...vars, first: 2, after: p2.pageInfo.endCursor })).data!.usageSeries;
    expect(p3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect([...p1.nodes, ...p2.nodes, ...p3.nodes]).toEqual(all);
    const back = (await series({ ...vars, last: 2, before: p3.pageInfo.endCursor })).data!.usageSeries;
    expect(back.nodes).toEqual(all.slice(2, 4));
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const tail = (await series({ ...vars, last: 2 })).data!.usageSeries;
    expect(tail.nodes).toEqual(all.slice(3));
  });

  it('answers platform-wide per org for platform admins', async () => {
    const vars = {
      from: '2030-01-31T00:00:00Z',
      to: '2030-02-01T00:00:00Z',
      bucket: 'DAY',
      groupBy: ['ORG'],
      filter: { orgIds: [orgA, orgB] },
    };
    for (const token of [undefined, tokens.platform]) {
      const res = await series(vars, token);
      expect(res.errors).toBeUndefined();
      const byOrg = Object.fromEntries(res.data!.usageSeries.nodes.map((p) => [p.orgId, p.requests]));
      expect(byOrg).toEqual({ [orgA]: 3, [orgB]: 1 });
    }
  });
});

describe('usageTop and usageTotals', () => {
  const window = { from: '2030-01-01T00:00:00Z', to: '2030-04-01T00:00:00Z' };
  const top = (vars: Record<string, unknown>, token?: string) =>
    t.app.gql<{ usageTop: { value: string | null; requests: number; costUsd: number }[] }>(
      topQuery,
      { ...window, org: orgA, ...vars },
      token,
    );

  it('ranks keys by cost, requests and tokens', async () => {
    const cost = await top({ by: 'KEY', limit: 2 });
    expect(cost.data?.usageTop.map((e) => [e.value, e.costUsd])).toEqual([
      [ids.k1, 0.009],
      [ids.k2, 0.008],
    ]);
    const requests = await top({ by: 'KEY', metric: 'REQUESTS' });
    expect(requests.data?.usageTop.map((e) => [e.value, e.requests])).toEqual([
      [ids.k1, 3],
      [ids.k2, 2],
      [ids.k3, 1],
    ]);
    const tokensTop = await t.app.gql<{ usageTop: { value: string; inputTokens: number; outputTokens: number }[] }>(
      topQuery,
      { ...window, org: orgA, by: 'KEY', metric: 'TOKENS', limit: 1 },
    );
    expect(tokensTop.data?.usageTop).toEqual([
      { value: ids.k1, ...sums([1, 2, 6], { errors: 1, cachedInputTokens: 5 }) },
    ]);
    const teams = await top({ by: 'TEAM' });
    expect(teams.data?.usageTop.map((e) => [e.value, e.costUsd])).toEqual([
      [ids.t1, 0.017],
      [null, 0.004],
    ]);
  });

  it('ranks orgs platform-wide', async () => {
    const res = await top({ org: null, by: 'ORG', filter: { orgIds: [orgA, orgB] } });
    expect(res.data?.usageTop.map((e) => [e.value, e.costUsd])).toEqual([
      [orgB, 1],
      [orgA, 0.021],
    ]);
  });

  it('totals a window, with a filter', async () => {
    const res = await t.app.gql(totalsQuery, { ...window, org: orgA });
    expect(res.data).toEqual({ usageTotals: sums([1, 2, 3, 4, 5, 6], { errors: 2, cachedInputTokens: 5 }) });
    const m2Only = await t.app.gql(totalsQuery, { ...window, org: orgA, filter: { models: ['claude'] } });
    expect(m2Only.data).toEqual({ usageTotals: sums([3, 5, 6], { errors: 1 }) });
    const platform = await t.app.gql(totalsQuery, { ...window, org: null });
    expect(platform.data).toEqual({
      usageTotals: sums([1, 2, 3, 4, 5, 6, 1000], { errors: 2, cachedInputTokens: 5 }),
    });
    const empty = await t.app.gql(totalsQuery, {
      org: orgA,
      from: '2031-01-01T00:00:00Z',
      to: '2031-02-01T00:00:00Z',
    });
    expect(empty.data).toEqual({ usageTotals: sums([]) });
  });
});

describe('legacy usage fields', () => {
  it('stay exact for windows that start or end inside an hour', async () => {
    const org = await t.app.gql<{ organization: { usage: { requests: number; costUsd: number } } }>(
      'query($id: ID!) { organization(id: $id) { usage(from: "2030-01-31T22:30:00Z", to: "2030-02-01T00:30:00Z") { requests costUsd } } }',
      { id: orgA },
    );
    expect(org.data?.organization.usage).toEqual({ requests: 3, costUsd: 0.009 });
    const byOrg = await t.app.gql<{ usageByOrg: { nodes: { orgId: string; totals: { requests: number } }[] } }>(
      '{ usageByOrg(from: "2030-01-31T22:20:00Z", to: "2030-01-31T22:50:00Z") { nodes { orgId totals { requests } } } }',
    );
    expect(Object.fromEntries(byOrg.data!.usageByOrg.nodes.map((o) => [o.orgId, o.totals.requests]))).toEqual({
      [orgA]: 1,
      [orgB]: 1,
    });
  });
});

describe('usage query scope', () => {
  const window = { from: '2030-01-01T00:00:00Z', to: '2030-04-01T00:00:00Z' };
  const cases = () => [
    { query: seriesQuery, vars: { ...window, bucket: 'DAY' } },
    { query: topQuery, vars: { ...window, by: 'KEY' } },
    { query: totalsQuery, vars: window },
  ];

  it("lets an org's admins and viewers read it, and refuses a foreign org and platform-wide reads", async () => {
    for (const token of [tokens.adminA, tokens.viewerA]) {
      for (const { query, vars } of cases()) {
        const own = await t.app.gql(query, { ...vars, org: orgA }, token);
        expect(own.errors).toBeUndefined();
        for (const org of [orgB, null, randomUUID()]) {
          const other = await t.app.gql(query, { ...vars, org }, token);
          expect(other.data).toBeNull();
          expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        }
      }
    }
  });

  it('refuses the data-plane token and anonymous callers', async () => {
    for (const { query, vars } of cases()) {
      const dp = await t.app.gql(query, { ...vars, org: orgA }, dataPlaneToken);
      expect(dp.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const anon = await t.app.gql(query, { ...vars, org: orgA }, null);
      expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('pages usageByOrg by org name and filters it by name', async () => {
    const page =
      'query($a: String) { usageByOrg(first: 1, after: $a) { totalCount pageInfo { hasNextPage endCursor } nodes { orgId orgName } } }';
    type Page = {
      usageByOrg: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        nodes: { orgId: string; orgName: string }[];
      };
    };
    const one = (await t.app.gql<Page>(page, { a: null }, tokens.platform)).data!.usageByOrg;
    expect(one.totalCount).toBeGreaterThanOrEqual(2);
    expect(one.nodes).toHaveLength(1);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = (await t.app.gql<Page>(page, { a: one.pageInfo.endCursor }, tokens.platform)).data!.usageByOrg;
    expect(two.nodes[0].orgName >= one.nodes[0].orgName).toBe(true);
    expect(two.nodes[0].orgId).not.toBe(one.nodes[0].orgId);
    const named = await t.app.gql<Page>(
      'query($s: String) { usageByOrg(filter: { search: $s }) { totalCount pageInfo { hasNextPage endCursor } nodes { orgId orgName } } }',
      { s: one.nodes[0].orgName.toUpperCase() },
      tokens.platform,
    );
    expect(named.data?.usageByOrg.nodes.map((n) => n.orgId)).toContain(one.nodes[0].orgId);
  });

  it('limits usageByOrg to the caller org for org roles', async () => {
    const q = '{ usageByOrg { nodes { orgId totals { requests } } } }';
    const viewer = await t.app.gql<{ usageByOrg: { nodes: { orgId: string }[] } }>(q, {}, tokens.viewerA);
    expect(viewer.data?.usageByOrg.nodes).toEqual([{ orgId: orgA, totals: { requests: 6 } }]);
    const platform = await t.app.gql<{ usageByOrg: { nodes: { orgId: string }[] } }>(q, {}, tokens.platform);
    expect(platform.data?.usageByOrg.nodes.map((o) => o.orgId).sort()).toEqual([orgA, orgB].sort());
  });

  it('answers NOT_FOUND for an org that does not exist (platform admins)', async () => {
    const res = await t.app.gql(totalsQuery, { ...window, org: randomUUID() });
    expect(res.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND', field: 'orgId' });
    const notUuid = await t.app.gql(totalsQuery, { ...window, org: 'nope' });
    expect(notUuid.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND', field: 'orgId' });
  });
});

describe('usage query input errors', () => {
  const base = { from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z', bucket: 'DAY' };
  const bad: [string, Record<string, unknown>, string][] = [
    ['from inside an hour', { from: '2030-01-01T00:30:00Z' }, 'from'],
    ['to inside an hour', { to: '2030-01-31T23:59:59Z' }, 'to'],
    ['an empty window', { to: '2030-01-01T00:00:00Z' }, 'to'],
    ['hours over more than 31 days', { bucket: 'HOUR', to: '2030-02-01T01:00:00Z' }, 'to'],
    ['days over more than 366 days', { to: '2031-01-03T00:00:00Z' }, 'to'],
    ['ORG for one org', { groupBy: ['ORG'] }, 'groupBy'],
    ['a repeated dimension', { groupBy: ['KEY', 'KEY'] }, 'groupBy'],
    ['orgIds for one org', { filter: { orgIds: [randomUUID()] } }, 'filter.orgIds'],
    ['an empty filter list', { filter: { keyIds: [] } }, 'filter.keyIds'],
    ['too many filter values', { filter: { models: Array.from({ length: 101 }, (_, i) => `m${i}`) } }, 'filter.models'],
    ['a page size of 0', { first: 0 }, 'first'],
    ['a foreign cursor', { after: 'bm90IGEgY3Vyc29y' }, 'after'],
  ];
  it.each(bad)('refuses %s with the field', async (_name, patch, field) => {
    const res = await series({ ...base, org: orgA, ...patch });
    expect(res.data).toBeNull();
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a top-N limit outside 1-100, and ORG as ranking for one org', async () => {
    const vars = { org: orgA, from: base.from, to: base.to, by: 'KEY' };
    for (const limit of [0, 101]) {
      const res = await t.app.gql(topQuery, { ...vars, limit });
      expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'limit' });
    }
    const res = await t.app.gql(topQuery, { ...vars, by: 'ORG' });
    expect(res.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'by' });
  });
});

describe('usage queries read the rollups only', () => {
  /** Every usage shape over whole hours, through GraphQL. */
  async function everyShape(): Promise<unknown[]> {
    const out: unknown[] = [];
    const w = { from: '2030-01-31T00:00:00Z', to: '2030-03-02T00:00:00Z' };
    for (const [org, groupBy] of [
      [orgA, ['TEAM', 'USER', 'KEY', 'MODULE', 'MODEL', 'PROVIDER']],
      [orgA, []],
      [null, ['ORG']],
      [null, ['ORG', 'KEY']],
    ] as const) {
      for (const bucket of ['DAY', 'MONTH']) out.push(await series({ org, ...w, bucket, groupBy }));
    }
    out.push(await series({ org: orgA, from: '2030-01-31T20:00:00Z', to: '2030-02-01T04:00:00Z', bucket: 'HOUR' }));
    for (const by of ['KEY', 'TEAM', 'MODEL']) out.push(await t.app.gql(topQuery, { org: orgA, ...w, by }));
    out.push(await t.app.gql(topQuery, { org: null, ...w, by: 'ORG' }));
    out.push(await t.app.gql(totalsQuery, { org: orgA, ...w }));
    out.push(await t.app.gql(totalsQuery, { org: null, ...w, filter: { models: ['claude'] } }));
    out.push(await t.app.gql('{ usageByOrg { nodes { orgId totals { requests costUsd } } } }'));
    out.push(
      await t.app.gql(
        'query($f: DateTime, $t: DateTime) { usageByOrg(from: $f, to: $t) { nodes { orgId totals { requests } } } }',
        {
          f: '2030-01-31T22:00:00Z',
          t: '2030-02-01T05:00:00Z',
        },
      ),
    );
    out.push(
      await t.app.gql(
        'query($id: ID!) { organization(id: $id) { usage(from: "2030-01-31T00:00:00Z") { requests } } }',
        {
          id: orgA,
        },
      ),
    );
    return out;
  }

  it('answers every shape the same with usage_records out of reach', async () => {
    const before = await everyShape();
    for (const r of before) expect((r as { errors?: unknown }).errors).toBeUndefined();
    await t.db.query('alter table usage_records rename to usage_records_hidden');
    try {
      expect(await everyShape()).toEqual(before);
    } finally {
      await t.db.query('alter table usage_records_hidden rename to usage_records');
    }
  });

  it('reads the daily rollup alone for platform-wide totals per org over whole days', async () => {
    const em = t.app.deps.orm.em.fork();
    const seen: { sql: string; params: unknown[] }[] = [];
    const recording = new Proxy(em, {
      get(target, prop, receiver) {
        if (prop !== 'execute') return Reflect.get(target, prop, receiver);
        return (sql: string, params: unknown[]) => {
          seen.push({ sql, params });
          return target.execute(sql, params);
        };
      },
    });
    const service = new UsageService(recording);
    const scope = {
      orgId: null,
      from: new Date('2030-01-01T00:00:00Z'),
      to: new Date('2030-02-01T00:00:00Z'),
      filter: {},
    };
    await service.top(scope, 'org', 'cost', 10);
    await service.top({ ...scope, from: new Date('2030-01-01T05:00:00Z') }, 'org', 'cost', 10);
    await service.top({ ...scope, orgId: orgA }, 'key', 'cost', 10);
    const tables = [];
    for (const { sql, params } of seen) {
      const [row] = await em.execute<{ 'QUERY PLAN': unknown }[]>(`explain (format json) ${sql}`, params);
      const names = new Set<string>();
      const walk = (node: unknown) => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === 'object') {
          for (const [k, v] of Object.entries(node)) {
            if (k === 'Relation Name') names.add(String(v));
            else walk(v);
          }
        }
      };
      walk(row['QUERY PLAN']);
      tables.push([...names].sort());
    }
    expect(tables).toEqual([['usage_daily_org'], ['usage_daily_org', 'usage_hourly'], ['usage_hourly']]);
  });
});
