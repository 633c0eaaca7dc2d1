// leaseBudgets: the grant rule, what is gone, bad requests, concurrent calls never granting more than the budget,
// reclaiming expired leases (and not reviving them), period rollover, manual resets, the cost factor, and the
// ledger fed exactly once by ingestion.
import { randomUUID } from 'node:crypto';
import type { LeaseResponse } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { createOrg, createTeam, createUser, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { errorOf } from '../../test-support/tenancy.ts';
import { dataPlaneToken } from '../../test-support/test-app.ts';
import { ingestMutation, usageRecord } from '../usage/test-records.ts';
import { grantFor } from './lease.service.ts';
import { periodWindow } from './periods.ts';

const t = useApiSuite();
const usd = 1_000_000_000;

const leaseMutation = 'mutation($r: JSON!) { leaseBudgets(request: $r) }';

async function lease(request: Record<string, unknown>) {
  const r = await t.app.gql<{ leaseBudgets: LeaseResponse }>(leaseMutation, { r: request }, dataPlaneToken);
  if (r.errors?.length || !r.data) throw new Error(`leaseBudgets failed: ${JSON.stringify(r.errors)}`);
  return r.data.leaseBudgets;
}

const ask = (limitId: string, extra: Record<string, unknown> = {}) => ({
  limitId,
  period: 'daily',
  periodStart: null,
  want: 0,
  need: 0,
  returned: 0,
  ...extra,
});

/** An org with limits on `scope` (ORG by default) and the limit's id. */
async function budgetOf(input: Record<string, unknown>, orgName = `Lease ${randomUUID()}`) {
  const orgId = await createOrg(t.app, orgName);
  const r = await must<{ setLimits: { id: string } }>(
    t.app.gql(
      'mutation($o: ID!, $i: LimitsInput!) { setLimits(orgId: $o, scope: ORG, scopeId: $o, input: $i) { id } }',
      { o: orgId, i: input },
    ),
  );
  return { orgId, limitId: r.setLimits.id };
}

/** The lease heartbeats start empty for each test: data planes are counted from them. */
async function quietFleet() {
  await t.db.query('delete from lease_heartbeats');
}

const ledger = (limitId: string) =>
  t.db.query<{ node_id: string; boot_id: string; granted: string; returned: string; spent: string }>(
    'select node_id, boot_id, granted::text, returned::text, spent::text from budget_ledger where limit_id = $1 order by node_id, boot_id, period_start',
    [limitId],
  );

describe('the grant rule', () => {
  it.each([
    [10 * usd, { want: 8 * usd, need: 0 }, 1, 5 * usd],
    [10 * usd, { want: 1 * usd, need: 0 }, 1, 1 * usd],
    [5 * usd, { want: 8 * usd, need: 0 }, 2, 1.25 * usd],
    [3, { want: 8, need: 0 }, 2, 1],
    [3.75 * usd, { want: 3 * usd, need: 3 * usd }, 3, 3 * usd],
    [0.75 * usd, { want: 1 * usd, need: 1 * usd }, 3, 0.75 * usd],
    [0, { want: 1, need: 1 }, 1, 0],
  ])('available %d, ask %j, %d data planes: grants %d', (available, a, planes, grant) => {
    expect(grantFor(BigInt(available), a, planes)).toBe(BigInt(grant));
  });
});

describe('leaseBudgets', () => {
  it('grants by the rule across data planes, and answers the current period, what is gone, and the factor', async () => {
    await quietFleet();
    const { limitId } = await budgetOf({ budgets: { daily: '10' } });
    const today = periodWindow('daily', 'UTC', new Date());
    const first = await lease({ nodeId: 'dp-a', bootId: 'boot-aaaa', asks: [ask(limitId, { want: 8 * usd })] });
    expect(first).toEqual({
      ttlMs: 30_000,
      dataPlanes: 1,
      grants: [
        {
          limitId,
          period: 'daily',
          periodStart: today.start.toISOString(),
          resetsAt: today.end?.toISOString(),
          granted: 5 * usd,
          limit: 10 * usd,
          spent: 0,
          available: 5 * usd,
          costFactorPpm: 1_000_000,
        },
      ],
      gone: [],
    });
    // A second data plane gets its share of what is left: available / (2 x data planes).
    const second = await lease({ nodeId: 'dp-b', bootId: 'boot-bbbb', asks: [ask(limitId, { want: 8 * usd })] });
    expect(second.dataPlanes).toBe(2);
    expect(second.grants[0]).toMatchObject({ granted: 1.25 * usd, available: 3.75 * usd });
    // A request waiting for 3 USD gets it whole while the budget has it.
    const third = await lease({
      nodeId: 'dp-c',
      bootId: 'boot-cccc',
      asks: [ask(limitId, { want: 3 * usd, need: 3 * usd })],
    });
    expect(third.grants[0]).toMatchObject({ granted: 3 * usd, available: 0.75 * usd });
    // Giving back for good frees it; grants are cumulative for the boot and period.
    const periodStart = today.start.toISOString();
    const back = await lease({
      nodeId: 'dp-a',
      bootId: 'boot-aaaa',
      asks: [ask(limitId, { periodStart, returned: 2 * usd, want: 0.1 * usd })],
    });
    expect(back.grants[0]).toMatchObject({ granted: 5.1 * usd, available: 2.65 * usd });
    expect((await ledger(limitId)).map((r) => [r.node_id, r.granted, r.returned])).toEqual([
      ['dp-a', String(5.1 * usd), String(2 * usd)],
      ['dp-b', String(1.25 * usd), '0'],
      ['dp-c', String(3 * usd), '0'],
    ]);
    // Unknown budgets, periods without a budget and ids that are not ids are gone; a bare heartbeat is fine.
    const unknown = randomUUID();
    const gone = await lease({
      nodeId: 'dp-a',
      bootId: 'boot-aaaa',
      asks: [ask(unknown), ask(limitId, { period: 'monthly' }), ask('nope')],
    });
    expect(gone.grants).toEqual([]);
    expect(gone.gone).toEqual([
      { limitId: unknown, period: 'daily' },
      { limitId, period: 'monthly' },
      { limitId: 'nope', period: 'daily' },
    ]);
    const beat = await lease({ nodeId: 'dp-d', bootId: 'boot-dddd', asks: [] });
    expect(beat).toEqual({ ttlMs: 30_000, dataPlanes: 4, grants: [], gone: [] });
  });

  it.each([
    [{ nodeId: '', bootId: 'boot-aaaa', asks: [] }, 'request.nodeId'],
    [{ nodeId: 'n', bootId: 'short', asks: [] }, 'request.bootId'],
    [{ nodeId: 'n', bootId: 'boot-aaaa', asks: [{ limitId: 'x' }] }, 'request.asks.0.period'],
    [{ nodeId: 'n', bootId: 'boot-aaaa', asks: [], extra: 1 }, 'request'],
    ['not an object', 'request'],
  ])('refuses the malformed request %j with BAD_USER_INPUT on %s', async (request, field) => {
    const r = await t.app.gql(leaseMutation, { r: request }, dataPlaneToken);
    expect(errorOf(r)).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a budget asked for twice in one call', async () => {
    const { limitId } = await budgetOf({ budgets: { daily: '1' } });
    const r = await t.app.gql(
      leaseMutation,
      { r: { nodeId: 'n', bootId: 'boot-aaaa', asks: [ask(limitId), ask(limitId, { want: 5 })] } },
      dataPlaneToken,
    );
    expect(errorOf(r)).toEqual({ code: 'BAD_USER_INPUT', field: 'request.asks.1' });
  });

  it('never grants more than the budget, however many calls race for it', async () => {
    await quietFleet();
    const { limitId } = await budgetOf({ budgets: { daily: '1', total: '2' } });
    let answered = 0n;
    for (let round = 0; round < 3; round++) {
      const calls = Array.from({ length: 16 }, (_, i) =>
        lease({
          nodeId: `race-${i}`,
          bootId: `boot-race-${i}`,
          asks: [
            ask(limitId, { want: usd, need: 0.1 * usd }),
            ask(limitId, { period: 'total', want: 2 * usd, need: 0.05 * usd }),
          ],
        }),
      );
      const answers = await Promise.all(calls);
      answered = answers.reduce((sum, a) => sum + BigInt(a.grants[0].granted), 0n);
    }
    const [daily] = await t.db.query<{ granted: string; n: number }>(
      "select sum(granted)::text as granted, count(*)::int as n from budget_ledger where limit_id = $1 and period = 'daily'",
      [limitId],
    );
    const [total] = await t.db.query<{ granted: string }>(
      "select sum(granted)::text as granted from budget_ledger where limit_id = $1 and period = 'total'",
      [limitId],
    );
    expect(daily.n).toBe(16);
    expect(BigInt(daily.granted)).toBeLessThanOrEqual(BigInt(usd));
    expect(BigInt(total.granted)).toBeLessThanOrEqual(BigInt(2 * usd));
    // Every nano-dollar ends up granted (the calls want more than there is), and the answers agree with the ledger.
    expect(BigInt(daily.granted)).toBe(BigInt(usd));
    expect(answered).toBe(BigInt(daily.granted));
  }, 60_000);

  it('reclaims the unspent grant of an expired lease, and a late renewal does not revive it', async () => {
    await quietFleet();
    const { limitId } = await budgetOf({ budgets: { daily: '10' } });
    const periodStart = periodWindow('daily', 'UTC', new Date()).start.toISOString();
    await lease({ nodeId: 'old', bootId: 'boot-old1', asks: [ask(limitId, { want: 10 * usd, need: 10 * usd })] });
    // It spent 1 USD of its 10 (ingested usage), then went silent for longer than the TTL and the grace.
    await t.db.query("update budget_ledger set spent = $2, last_seen = now() - interval '1 hour' where limit_id = $1", [
      limitId,
      usd,
    ]);
    const other = await lease({
      nodeId: 'new',
      bootId: 'boot-new1',
      asks: [ask(limitId, { want: 9 * usd, need: 9 * usd })],
    });
    expect(other.grants[0]).toMatchObject({ granted: 9 * usd, spent: usd, available: 0 });
    // The old boot comes back: its row counts only what it spent, so nothing is granted twice.
    const back = await lease({ nodeId: 'old', bootId: 'boot-old1', asks: [ask(limitId, { periodStart, want: usd })] });
    expect(back.grants[0]).toMatchObject({ granted: usd, available: 0 });
    const rows = await ledger(limitId);
    expect(rows.map((r) => [r.node_id, r.granted, r.spent])).toEqual([
      ['new', String(9 * usd), '0'],
      ['old', String(usd), String(usd)],
    ]);
  });

  it('lists leases per data plane, expired ones holding nothing', async () => {
    await quietFleet();
    const { orgId, limitId } = await budgetOf({ budgets: { weekly: '4' } });
    await lease({ nodeId: 'list-a', bootId: 'boot-list-a', asks: [ask(limitId, { period: 'weekly', want: usd })] });
    await lease({ nodeId: 'list-b', bootId: 'boot-list-b', asks: [ask(limitId, { period: 'weekly', want: usd })] });
    await t.db.query("update budget_ledger set last_seen = now() - interval '1 hour' where node_id = 'list-b'");
    const r = await must<{
      budgetLeases: {
        nodeId: string;
        scope: string;
        period: string;
        grantedUsd: string;
        heldUsd: string;
        expired: boolean;
      }[];
      organization: { limits: { budgets: { reservedUsd: string; remainingUsd: string }[] } };
    }>(
      t.app.gql(
        `query($o: ID!) { budgetLeases(orgId: $o) { nodeId scope period grantedUsd heldUsd expired }
           organization(id: $o) { limits { budgets { reservedUsd remainingUsd } } } }`,
        { o: orgId },
      ),
    );
    expect(r.budgetLeases).toEqual([
      { nodeId: 'list-a', scope: 'ORG', period: 'WEEKLY', grantedUsd: '1', heldUsd: '1', expired: false },
      // Its share: a quarter of the 3 USD left with two data planes; expired, it holds nothing any more.
      { nodeId: 'list-b', scope: 'ORG', period: 'WEEKLY', grantedUsd: '0.75', heldUsd: '0', expired: true },
    ]);
    expect(r.organization.limits.budgets).toEqual([{ reservedUsd: '1', remainingUsd: '3' }]);
  });

  it('answers an ask about an ended period for the current one, its returns going to the old period', async () => {
    await quietFleet();
    const { limitId } = await budgetOf({ budgets: { daily: '2', total: '5' } });
    const today = periodWindow('daily', 'UTC', new Date());
    const yesterday = new Date(today.start.getTime() - 86_400_000);
    await t.db.query(
      `insert into budget_ledger (limit_id, period, period_start, node_id, boot_id, granted, spent, last_seen)
       values ($1, 'daily', $2, 'roll', 'boot-roll', $3, $4, now())`,
      [limitId, yesterday, 2 * usd, usd],
    );
    const r = await lease({
      nodeId: 'roll',
      bootId: 'boot-roll',
      asks: [
        ask(limitId, { periodStart: yesterday.toISOString(), returned: 0.5 * usd, want: usd }),
        ask(limitId, { period: 'total', periodStart: '1970-01-01T00:00:00.000Z', want: usd }),
      ],
    });
    expect(r.grants.map((g) => [g.period, g.periodStart, g.resetsAt, g.granted, g.available])).toEqual([
      ['daily', today.start.toISOString(), today.end?.toISOString(), usd, usd],
      ['total', '1970-01-01T00:00:00.000Z', null, usd, 4 * usd],
    ]);
    const old = await t.db.query<{ returned: string; granted: string }>(
      'select returned::text, granted::text from budget_ledger where limit_id = $1 and period_start = $2',
      [limitId, yesterday],
    );
    expect(old).toEqual([{ returned: String(0.5 * usd), granted: String(2 * usd) }]);
  });
});

describe('budgets fed by ingested usage', () => {
  it('adds each stored record’s cost to every budget it falls under, exactly once', async () => {
    await quietFleet();
    const orgId = await createOrg(t.app, 'Spender Inc');
    const team = await createTeam(t.app, orgId, 'Spenders');
    const user = await createUser(t.app, orgId, 'spender@spend.io', [team]);
    const setOn = (scope: string, id: string, budgets: Record<string, string>) =>
      must<{ setLimits: { id: string } }>(
        t.app.gql(
          'mutation($o: ID!, $sc: LimitScope!, $s: ID!, $b: BudgetsInput!) { setLimits(orgId: $o, scope: $sc, scopeId: $s, input: { budgets: $b }) { id } }',
          { o: orgId, sc: scope, s: id, b: budgets },
        ),
      ).then((r) => r.setLimits.id);
    const orgLimit = await setOn('ORG', orgId, { daily: '100', monthly: '1000' });
    const teamLimit = await setOn('TEAM', team, { daily: '50' });
    const userLimit = await setOn('USER', user, { total: '10' });
    const now = new Date();
    const ts = now.toISOString();
    const records = [
      usageRecord(orgId, { ts, teamId: team, userId: user, costUsd: 0.25, nodeId: 'dp-1', bootId: 'boot-one1' }),
      usageRecord(orgId, { ts, teamId: team, userId: null, costUsd: 0.000000001, nodeId: 'dp-1', bootId: 'boot-one1' }),
      usageRecord(orgId, { ts, teamId: null, userId: user, costUsd: 1.5, nodeId: 'dp-2' }),
      // Another org's record touches none of these budgets.
      usageRecord(await createOrg(t.app, 'Bystander'), { ts, costUsd: 7 }),
    ];
    const first = await must<{ ingestUsage: { accepted: number } }>(
      t.app.gql(ingestMutation, { b: { records } }, dataPlaneToken),
    );
    expect(first.ingestUsage.accepted).toBe(4);
    const spent = () =>
      t.db.query<{ limit_id: string; period: string; node_id: string; boot_id: string; spent: string }>(
        `select limit_id::text, period, node_id, boot_id, spent::text from budget_ledger
          where limit_id = any($1::uuid[]) order by limit_id, period, node_id, boot_id`,
        [[orgLimit, teamLimit, userLimit]],
      );
    const expected = [
      [orgLimit, 'daily', 'dp-1', 'boot-one1', '250000001'],
      [orgLimit, 'daily', 'dp-2', '', '1500000000'],
      [orgLimit, 'monthly', 'dp-1', 'boot-one1', '250000001'],
      [orgLimit, 'monthly', 'dp-2', '', '1500000000'],
      [teamLimit, 'daily', 'dp-1', 'boot-one1', '250000001'],
      [userLimit, 'total', 'dp-1', 'boot-one1', '250000000'],
      [userLimit, 'total', 'dp-2', '', '1500000000'],
    ].sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
    const rows = (await spent()).map((r) => [r.limit_id, r.period, r.node_id, r.boot_id, r.spent]);
    expect(rows.sort((a, b) => a.join(' ').localeCompare(b.join(' ')))).toEqual(expected);

    // The same batch again: all duplicates, nothing added.
    const again = await must<{ ingestUsage: { accepted: number; duplicates: number } }>(
      t.app.gql(ingestMutation, { b: { records } }, dataPlaneToken),
    );
    expect(again.ingestUsage).toMatchObject({ accepted: 0, duplicates: 4 });
    const rowsAgain = (await spent()).map((r) => [r.limit_id, r.period, r.node_id, r.boot_id, r.spent]);
    expect(rowsAgain.sort((a, b) => a.join(' ').localeCompare(b.join(' ')))).toEqual(expected);

    // The status shows it, and a lease counts it.
    const status = await must<{
      scopeLimits: { budgets: { period: string; spentUsd: string; usedPercent: number }[] };
    }>(
      t.app.gql(
        'query($o: ID!) { scopeLimits(orgId: $o, scope: ORG, scopeId: $o) { budgets { period spentUsd usedPercent } } }',
        {
          o: orgId,
        },
      ),
    );
    expect(status.scopeLimits.budgets).toEqual([
      { period: 'DAILY', spentUsd: '1.750000001', usedPercent: 1.75 },
      { period: 'MONTHLY', spentUsd: '1.750000001', usedPercent: 0.175 },
    ]);
    const leased = await lease({ nodeId: 'dp-1', bootId: 'boot-one1', asks: [ask(orgLimit, { want: usd })] });
    expect(leased.grants[0]).toMatchObject({ spent: 1_750_000_001, granted: usd });
  });

  it('counts billed cost under the billed basis, with the org markup, rounded up', async () => {
    await quietFleet();
    const { orgId, limitId } = await budgetOf({ budgets: { daily: '10' } });
    await must(
      t.app.gql('mutation($o: ID!) { setBillingSettings(orgId: $o, input: { markupPercent: 20 }) { markupPercent } }', {
        o: orgId,
      }),
    );
    await must(t.app.gql('mutation { setBudgetBasis(basis: BILLED_COST) }'));
    try {
      await must(
        t.app.gql(
          ingestMutation,
          {
            b: {
              records: [
                usageRecord(orgId, { ts: new Date().toISOString(), costUsd: 0.000000011, bootId: 'boot-bill' }),
              ],
            },
          },
          dataPlaneToken,
        ),
      );
      const [row] = await ledger(limitId);
      // 11 nano-dollars x 1.2 = 13.2, rounded up.
      expect(row.spent).toBe('14');
      const r = await lease({ nodeId: 'dp-1', bootId: 'boot-bill', asks: [ask(limitId)] });
      expect(r.grants[0].costFactorPpm).toBe(1_200_000);
    } finally {
      await must(t.app.gql('mutation { setBudgetBasis(basis: PROVIDER_COST) }'));
    }
  });

  it('resets a period by hand: what it spent until then no longer counts', async () => {
    await quietFleet();
    const { orgId, limitId } = await budgetOf({ budgets: { daily: '10', monthly: '20' } });
    const ts = new Date().toISOString();
    await must(t.app.gql(ingestMutation, { b: { records: [usageRecord(orgId, { ts, costUsd: 4 })] } }, dataPlaneToken));
    const reset = await t.app.gql<{
      resetBudgetPeriod: { budgets: { period: string; spentUsd: string; remainingUsd: string }[] };
    }>(
      'mutation($o: ID!) { resetBudgetPeriod(orgId: $o, scope: ORG, scopeId: $o, period: DAILY) { budgets { period spentUsd remainingUsd } } }',
      { o: orgId },
    );
    expect(reset.data?.resetBudgetPeriod.budgets).toEqual([
      { period: 'DAILY', spentUsd: '0', remainingUsd: '10' },
      { period: 'MONTHLY', spentUsd: '4', remainingUsd: '16' },
    ]);
    const [audit] = await t.db.query("select before, after from audit_events where action = 'limits.resetPeriod'");
    expect(audit).toMatchObject({ before: { period: 'daily', spentUsd: '4' }, after: { spentUsd: '0' } });
    const [row] = await t.db.query('select spent_at_reset::text, reset_by from budget_resets where limit_id = $1', [
      limitId,
    ]);
    expect(row).toEqual({ spent_at_reset: String(4 * usd), reset_by: 'ADMIN_TOKEN' });
    // Spending goes on counting from the reset; a lease sees the whole budget again.
    await must(t.app.gql(ingestMutation, { b: { records: [usageRecord(orgId, { ts, costUsd: 1 })] } }, dataPlaneToken));
    const r = await lease({ nodeId: 'dp-r', bootId: 'boot-reset', asks: [ask(limitId, { want: 20 * usd })] });
    expect(r.grants[0]).toMatchObject({ spent: usd, available: 4.5 * usd, granted: 4.5 * usd });
    const noBudget = await t.app.gql(
      'mutation($o: ID!) { resetBudgetPeriod(orgId: $o, scope: ORG, scopeId: $o, period: TOTAL) { id } }',
      { o: orgId },
    );
    expect(errorOf(noBudget)).toEqual({ code: 'NOT_FOUND', field: 'period' });
  });
});
