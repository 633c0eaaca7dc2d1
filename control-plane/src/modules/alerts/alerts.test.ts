// Budget alerts: each threshold fires once per budget period (again in the next period), whichever replica checks
// and however many check at once; fail-open service raises one alert per org and hour; alerts are listed per org
// and pushed live to the org's subscribers (and platform-wide ones) on every replica, never to another org's.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { buildWorld, type World } from '../../test-support/tenant-world.ts';
import { startTestApp, type TestApp, testConfig, waitFor } from '../../test-support/test-app.ts';
import { usageRecord } from '../usage/test-records.ts';
import { AlertStore, type TouchedBudget } from './alert-store.ts';
import { toBudgetAlert } from './alert-view.ts';
import { addSpend, insertLimit } from './test-budgets.ts';

const t = useApiSuite();
let w: World;
let replica: TestApp;

beforeAll(async () => {
  w = await buildWorld(t.app);
  replica = await startTestApp(testConfig(t.db.url, { masterKey: t.app.deps.config.masterKey }));
}, 60_000);

afterAll(async () => {
  const errors = replica?.errorLogs() ?? [];
  await replica?.close();
  expect(errors).toEqual([]);
});

const usd = 1_000_000_000;
const store = (app: TestApp = t.app) => new AlertStore(app.deps.orm.em.fork());
const thresholds = (rows: { threshold: number | null }[]) => rows.map((r) => r.threshold).sort((a, b) => a! - b!);
const alertsOf = (limitId: string) =>
  t.db.query<{ threshold: number; period_start: Date; spent: string; budget_limit: string }>(
    'select threshold, period_start, spent::text, budget_limit::text from budget_alerts where limit_id = $1 order by period_start, threshold',
    [limitId],
  );

describe('threshold alerts', () => {
  it('fire once per threshold and period, and again in the next period', async () => {
    const limitId = await insertLimit(t.db, w.A.id, { usd: 10, scope: ['org', w.A.id] });
    const day1: TouchedBudget = { limitId, period: 'daily', periodStart: '2030-03-01T00:00:00.000Z' };
    const day2: TouchedBudget = { ...day1, periodStart: '2030-03-02T00:00:00.000Z' };

    await addSpend(t.db, day1, 4.99 * usd);
    expect(await store().checkThresholds([day1])).toEqual([]);
    await addSpend(t.db, day1, 3.01 * usd, 'dp-2');
    const first = await store().checkThresholds([day1, day1]);
    expect(thresholds(first)).toEqual([50, 80]);
    expect(toBudgetAlert(first[0]).message).toMatch(
      /^Organization "Tenant A": daily budget reached (50|80)% - \$8\.00 of \$10\.00 spent/,
    );
    expect(await store().checkThresholds([day1])).toEqual([]);
    await addSpend(t.db, day1, 2 * usd);
    expect(thresholds(await store().checkThresholds([day1]))).toEqual([100]);

    await addSpend(t.db, day2, 6 * usd);
    expect(thresholds(await store().checkThresholds([day2]))).toEqual([50]);
    expect((await alertsOf(limitId)).map((a) => [a.period_start.toISOString(), a.threshold, a.spent])).toEqual([
      ['2030-03-01T00:00:00.000Z', 50, String(8 * usd)],
      ['2030-03-01T00:00:00.000Z', 80, String(8 * usd)],
      ['2030-03-01T00:00:00.000Z', 100, String(10 * usd)],
      ['2030-03-02T00:00:00.000Z', 50, String(6 * usd)],
    ]);
  });

  it("use the limit's own thresholds, its other periods' budgets, and subtract manual resets", async () => {
    const limitId = await insertLimit(t.db, w.A.id, { period: 'monthly', usd: 100, thresholds: [25, 90] });
    const month: TouchedBudget = { limitId, period: 'monthly', periodStart: '2030-03-01T00:00:00.000Z' };
    await addSpend(t.db, month, 30 * usd);
    // A daily period of a limit without a daily budget has nothing to compare with.
    await addSpend(t.db, { ...month, period: 'daily' }, 30 * usd);
    await t.db.query(
      "insert into budget_resets (limit_id, period, period_start, reset_by, spent_at_reset) values ($1, 'monthly', $2, 'test', $3)",
      [limitId, month.periodStart, 10 * usd],
    );
    expect(await store().checkThresholds([month, { ...month, period: 'daily' }])).toEqual([]);
    await addSpend(t.db, month, 5 * usd);
    const [alert] = await store().checkThresholds([month]);
    expect(alert).toMatchObject({ threshold: 25, spent: String(25 * usd), budget_limit: String(100 * usd) });
  });

  it('name the team of a team budget, and fire once when two replicas check at the same time', async () => {
    for (let round = 0; round < 8; round++) {
      const team = await createTeam(t.app, w.A.id, `Core ${round}`);
      const limitId = await insertLimit(t.db, w.A.id, { scope: ['team', team], usd: 1 });
      const b: TouchedBudget = { limitId, period: 'daily', periodStart: '2030-04-01T00:00:00.000Z' };
      // Two ingestions land together, each bringing the spend past every threshold on its own data plane's row.
      await Promise.all([addSpend(t.db, b, 0.6 * usd, 'dp-1'), addSpend(t.db, b, 0.6 * usd, 'dp-2')]);
      const raised = await Promise.all([
        store(t.app).checkThresholds([b]),
        store(replica).checkThresholds([b]),
        store(replica).checkThresholds([b]),
      ]);
      expect(thresholds(raised.flat())).toEqual([50, 80, 100]);
      expect(raised.flat()[0].scope_name).toBe(`Core ${round}`);
      expect(await alertsOf(limitId)).toHaveLength(3);
    }
  });

  it('never miss a crossing made by two batches committed concurrently', async () => {
    // Each replica adds 30% in its own transaction and checks after committing: whichever checks last sees 60%.
    for (let round = 0; round < 5; round++) {
      const limitId = await insertLimit(t.db, w.A.id, { usd: 1, thresholds: [50] });
      const b: TouchedBudget = { limitId, period: 'total', periodStart: '1970-01-01T00:00:00.000Z' };
      await t.db.query('update scope_limits set budget_daily = null, budget_total = 1 where id = $1', [limitId]);
      const ingestThenCheck = async (app: TestApp, node: string) => {
        await addSpend(t.db, b, 0.3 * usd, node);
        return store(app).checkThresholds([b]);
      };
      const raised = await Promise.all([ingestThenCheck(t.app, 'dp-1'), ingestThenCheck(replica, 'dp-2')]);
      expect(raised.flat().map((a) => a.threshold)).toEqual([50]);
    }
  });
});

describe('fail-open alerts', () => {
  it('raise one alert per org and hour, counting every unchecked request of that hour', async () => {
    const first = await store().recordUnchecked([
      { orgId: w.B.id, at: '2030-05-01T10:05:00.000Z', records: 2 },
      { orgId: w.B.id, at: '2030-05-01T10:55:00.000Z', records: 1 },
      { orgId: 'not-an-org', at: '2030-05-01T10:55:00.000Z', records: 1 },
    ]);
    expect(first).toHaveLength(1);
    expect(toBudgetAlert(first[0]).message).toMatch(/^3 requests of "Tenant B" served without a budget check/);
    expect(
      await store(replica).recordUnchecked([{ orgId: w.B.id, at: '2030-05-01T10:30:00.000Z', records: 4 }]),
    ).toEqual([]);
    const next = await store().recordUnchecked([{ orgId: w.B.id, at: '2030-05-01T11:00:00.000Z', records: 1 }]);
    expect(next).toHaveLength(1);
    const rows = await t.db.query<{ period_start: Date; unchecked_records: string }>(
      "select period_start, unchecked_records::text from budget_alerts where org_id = $1 and kind = 'fail_open' order by 1",
      [w.B.id],
    );
    expect(rows.map((r) => [r.period_start.toISOString(), r.unchecked_records])).toEqual([
      ['2030-05-01T10:00:00.000Z', '7'],
      ['2030-05-01T11:00:00.000Z', '1'],
    ]);
  });
});

const listQuery = `query($o: ID, $f: BudgetAlertFilter, $first: Int, $after: String) {
  budgetAlerts(orgId: $o, filter: $f, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id orgId kind scope scopeId scopeName limitId period periodStart threshold spentUsd limitUsd uncheckedRecords message raisedAt }
  }
}`;

interface AlertNode {
  id: string;
  orgId: string;
  kind: string;
  threshold: number | null;
  spentUsd: string | null;
  limitUsd: string | null;
  scope: string | null;
}
type ListAnswer = {
  budgetAlerts: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: AlertNode[] };
};

describe('budgetAlerts', () => {
  it("lists an org's alerts newest first, in pages, to its admins and viewers", async () => {
    const limitId = await insertLimit(t.db, w.B.id, { usd: 2.5 });
    const b: TouchedBudget = { limitId, period: 'daily', periodStart: '2030-06-01T00:00:00.000Z' };
    await addSpend(t.db, b, 2.5 * usd);
    await store().checkThresholds([b]);
    const all = await t.app.gql<ListAnswer>(listQuery, { o: w.B.id, f: { limitId }, first: 2 });
    expect(all.errors).toBeUndefined();
    expect(all.data?.budgetAlerts.totalCount).toBe(3);
    expect(all.data?.budgetAlerts.nodes[0]).toMatchObject({
      orgId: w.B.id,
      kind: 'THRESHOLD',
      scope: 'KEY',
      spentUsd: '2.50',
      limitUsd: '2.50',
    });
    const rest = await t.app.gql<ListAnswer>(listQuery, {
      o: w.B.id,
      f: { limitId },
      first: 2,
      after: all.data?.budgetAlerts.pageInfo.endCursor,
    });
    expect(rest.data?.budgetAlerts.nodes).toHaveLength(1);

    const own = await t.app.gql<ListAnswer>(listQuery, { o: w.A.id, f: { kind: 'FAIL_OPEN' } }, w.tokens.orgViewer);
    expect(own.errors).toBeUndefined();
    expect(own.data?.budgetAlerts.nodes.every((n) => n.orgId === w.A.id)).toBe(true);
    const foreign = await t.app.gql<ListAnswer>(listQuery, { o: w.B.id }, w.tokens.orgViewer);
    expect(foreign.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const everyOrg = await t.app.gql<ListAnswer>(listQuery, { o: null }, w.tokens.orgAdmin);
    expect(everyOrg.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('budgetAlertRaised', () => {
  const subscription = 'subscription($o: ID) { budgetAlertRaised(orgId: $o) { id orgId kind threshold message } }';

  async function follow(app: TestApp, token: string, orgId: string | null) {
    const got: AlertNode[] = [];
    const errors: unknown[] = [];
    const before = app.deps.alertFeed.subscriberCount;
    const stop = app.wsClient(token).subscribe<{ budgetAlertRaised: AlertNode }>(
      { query: subscription, variables: { o: orgId } },
      {
        next: (r) => (r.data ? got.push(r.data.budgetAlertRaised) : errors.push(r.errors)),
        error: (e) => errors.push(e),
        complete: () => {},
      },
    );
    await waitFor(() => (app.deps.alertFeed.subscriberCount > before || errors.length ? true : undefined));
    return { got, errors, stop };
  }

  it('pushes an alert raised on one replica to the subscribers of its org on every replica, not to others', async () => {
    const ofA = await follow(replica, w.tokens.orgViewer, w.A.id);
    const everyOrg = await follow(replica, w.tokens.platform, null);
    const ofB = await follow(t.app, w.tokens.platform, w.B.id);
    const ofAHere = await follow(t.app, w.tokens.orgAdminToken, w.A.id);

    const limitId = await insertLimit(t.db, w.A.id, { usd: 1, thresholds: [100] });
    const b: TouchedBudget = { limitId, period: 'daily', periodStart: '2030-07-01T00:00:00.000Z' };
    await addSpend(t.db, b, usd);
    const [raised] = await store(t.app).checkThresholds([b]);

    for (const f of [ofA, everyOrg, ofAHere]) {
      const [m] = await waitFor(() => (f.got.length ? f.got : undefined));
      expect(m).toMatchObject({ id: raised.id, orgId: w.A.id, kind: 'THRESHOLD', threshold: 100 });
    }
    // B's follower hears B's next alert only: A's came first, so nothing before it.
    await store(replica).recordUnchecked([{ orgId: w.B.id, at: '2030-07-01T03:00:00.000Z', records: 1 }]);
    const [m] = await waitFor(() => (ofB.got.length ? ofB.got : undefined));
    expect(m).toMatchObject({ orgId: w.B.id, kind: 'FAIL_OPEN' });
    expect(ofA.got).toHaveLength(1);
    expect([ofA, everyOrg, ofB, ofAHere].flatMap((f) => f.errors)).toEqual([]);
    for (const f of [ofA, everyOrg, ofB, ofAHere]) f.stop();
  });

  it("refuses an org role another org's alerts and the platform-wide feed", async () => {
    for (const orgId of [w.B.id, null]) {
      const f = await follow(t.app, w.tokens.orgAdmin, orgId);
      const [errors] = await waitFor(() => (f.errors.length ? f.errors : undefined));
      expect(JSON.stringify(errors)).toContain('FORBIDDEN');
      f.stop();
    }
  });
});

describe('through usage ingestion', () => {
  const ingest = (app: TestApp, records: unknown[]) =>
    app.gql<{ ingestUsage: { accepted: number } }>(
      'mutation($b: JSON!) { ingestUsage(batch: $b) { accepted } }',
      { b: { records } },
      w.tokens.dataPlane,
    );

  it('raises each threshold once when two replicas ingest the crossing batches at the same time', async () => {
    const team = await createTeam(t.app, w.A.id, 'Ingest team');
    const set = await t.app.gql(
      `mutation($o: ID!, $s: ID!) { setLimits(orgId: $o, scope: TEAM, scopeId: $s,
        input: { budgets: { daily: "1" }, alertThresholds: [50, 100] }) { id } }`,
      { o: w.A.id, s: team },
    );
    expect(set.errors).toBeUndefined();
    const ts = new Date().toISOString();
    const spend = () =>
      [0, 1].map(() => usageRecord(w.A.id, { teamId: team, keyId: w.A.keyId, costUsd: 0.3, ts, nodeId: 'dp-race' }));
    const batches = await Promise.all([ingest(t.app, spend()), ingest(replica, spend())]);
    expect(batches.map((b) => b.data?.ingestUsage.accepted)).toEqual([2, 2]);
    const rows = await t.db.query<{ threshold: number; scope_id: string; spent: string }>(
      `select threshold, scope_id, spent::text from budget_alerts where scope_kind = 'team' and scope_id = $1
        order by threshold`,
      [team],
    );
    expect(rows.map((r) => r.threshold)).toEqual([50, 100]);
    expect(Number(rows[1].spent)).toBe(1.2 * usd);
    // More spend in the same day raises nothing more.
    await ingest(t.app, spend());
    expect(await t.db.query('select 1 from budget_alerts where scope_id = $1', [team])).toHaveLength(2);
  });

  it('counts fail-open records once, however often their batch is sent', async () => {
    const records = [0, 1, 2].map(() =>
      usageRecord(w.B.id, { ts: '2030-08-01T09:10:00.000Z', budgetUnchecked: true, costUsd: 0.01 }),
    );
    await ingest(t.app, records);
    await ingest(replica, records);
    await ingest(t.app, [usageRecord(w.B.id, { ts: '2030-08-01T09:50:00.000Z' })]);
    const rows = await t.db.query<{ unchecked_records: string }>(
      `select unchecked_records::text from budget_alerts
        where org_id = $1 and kind = 'fail_open' and period_start = '2030-08-01T09:00:00Z'`,
      [w.B.id],
    );
    expect(rows).toEqual([{ unchecked_records: '3' }]);
  });
});
