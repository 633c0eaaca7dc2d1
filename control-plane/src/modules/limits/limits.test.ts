// Budgets and rate limits through the API: set, replace, read, remove; input errors with their codes and fields;
// who may set what (ORG scope only platform admins, org admins within the org's budgets, viewers read); limits
// never outliving their scope; limits on create inputs; org time zone and fail-open; the snapshot kind `limits`.
import { describe, expect, it } from 'vitest';
import { createKey, createOrg, createTeam, createUser, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { errorOf, expectAudited, tokenFor } from '../../test-support/tenancy.ts';

const t = useApiSuite();

const status = 'period limitUsd spentUsd reservedUsd remainingUsd usedPercent periodStart resetsAt';
const fields = `id orgId scope scopeId scopeName rpm tpm alertThresholds updatedAt budgets { ${status} }`;
const setLimits = `mutation($o: ID!, $scope: LimitScope!, $s: ID!, $i: LimitsInput!) {
  setLimits(orgId: $o, scope: $scope, scopeId: $s, input: $i) { ${fields} } }`;
const scopeLimits = `query($o: ID!, $scope: LimitScope!, $s: ID!) {
  scopeLimits(orgId: $o, scope: $scope, scopeId: $s) { ${fields} } }`;
const removeLimits = `mutation($o: ID!, $scope: LimitScope!, $s: ID!) {
  removeLimits(orgId: $o, scope: $scope, scopeId: $s) }`;

interface Limits {
  id: string;
  scope: string;
  scopeId: string;
  scopeName: string;
  rpm: number | null;
  tpm: number | null;
  alertThresholds: number[];
  budgets: { period: string; limitUsd: string; spentUsd: string; remainingUsd: string; usedPercent: number }[];
}

const set = (o: string, scope: string, s: string, i: Record<string, unknown>, token?: string) =>
  t.app.gql<{ setLimits: Limits }>(setLimits, { o, scope, s, i }, token);

async function enableModule(orgId: string): Promise<string> {
  const m = await must<{ createModule: { id: string } }>(
    t.app.gql('mutation($i: CreateModuleInput!) { createModule(input: $i) { id } }', {
      i: { key: `mod-${Math.random().toString(36).slice(2, 8)}`, name: 'Chat' },
    }),
  );
  await must(
    t.app.gql('mutation($i: ModuleEnablementInput!) { enableModule(input: $i) { id } }', {
      i: { orgId, moduleId: m.createModule.id },
    }),
  );
  return m.createModule.id;
}

describe('limits', () => {
  it('sets, replaces, reads and removes a scope’s limits, each change audited', async () => {
    const orgId = await createOrg(t.app, 'Limits Inc');
    const team = await createTeam(t.app, orgId, 'Core');
    const created = await expectAudited(t, 'limits.set', () =>
      set(orgId, 'TEAM', team, { budgets: { daily: '12.5', monthly: '100' }, rpm: 60 }),
    );
    expect(created.event).toMatchObject({ org_id: orgId, target_type: 'scopeLimits', before: null });
    expect(created.event.after).toMatchObject({ budgets: { daily: '12.5', monthly: '100' }, rpm: 60 });
    const limits = created.data.setLimits;
    expect(limits).toMatchObject({
      scope: 'TEAM',
      scopeId: team,
      scopeName: 'Core',
      rpm: 60,
      tpm: null,
      alertThresholds: [50, 80, 100],
    });
    expect(limits.budgets).toMatchObject([
      { period: 'DAILY', limitUsd: '12.5', spentUsd: '0', reservedUsd: '0', remainingUsd: '12.5', usedPercent: 0 },
      { period: 'MONTHLY', limitUsd: '100', remainingUsd: '100' },
    ]);

    const replaced = await expectAudited(t, 'limits.set', () =>
      set(orgId, 'TEAM', team, { budgets: { total: '0.000000001' }, tpm: 5000, alertThresholds: [90, 10] }),
    );
    expect(replaced.data.setLimits).toMatchObject({ id: limits.id, rpm: null, tpm: 5000, alertThresholds: [10, 90] });
    expect(replaced.data.setLimits.budgets).toMatchObject([{ period: 'TOTAL', limitUsd: '0.000000001' }]);
    expect(replaced.event.before).toMatchObject({ budgets: { daily: '12.5', monthly: '100' } });

    const read = await must<{ scopeLimits: Limits; limits: Limits[]; team: { limits: { id: string } } }>(
      t.app.gql(
        `query($o: ID!, $s: ID!) { scopeLimits(orgId: $o, scope: TEAM, scopeId: $s) { id tpm }
           limits(orgId: $o) { id scope } team(id: $s) { limits { id } } }`,
        { o: orgId, s: team },
      ),
    );
    expect(read.scopeLimits).toEqual({ id: limits.id, tpm: 5000 });
    expect(read.limits).toEqual([{ id: limits.id, scope: 'TEAM' }]);
    expect(read.team.limits).toEqual({ id: limits.id });

    const removed = await expectAudited(t, 'limits.remove', () =>
      t.app.gql<{ removeLimits: boolean }>(removeLimits, { o: orgId, scope: 'TEAM', s: team }),
    );
    expect(removed.data.removeLimits).toBe(true);
    const again = await expectAudited(t, 'limits.remove', () =>
      t.app.gql<{ removeLimits: boolean }>(removeLimits, { o: orgId, scope: 'TEAM', s: team }),
    );
    expect(again.data.removeLimits).toBe(false);
    const gone = await must<{ scopeLimits: null }>(t.app.gql(scopeLimits, { o: orgId, scope: 'TEAM', s: team }));
    expect(gone.scopeLimits).toBeNull();
  });

  it.each([
    [{ budgets: { daily: '0' } }, 'input.budgets.daily'],
    [{ budgets: { weekly: '1.0000000001' } }, 'input.budgets.weekly'],
    [{ budgets: { monthly: '9000000.5' } }, 'input.budgets.monthly'],
    [{ budgets: { total: '1e3' } }, 'input.budgets.total'],
    [{ budgets: { daily: '-1' } }, 'input.budgets.daily'],
    [{ rpm: 0 }, 'input.rpm'],
    [{ tpm: -5 }, 'input.tpm'],
    [{ rpm: 1, alertThresholds: [0] }, 'input.alertThresholds.0'],
    [{ rpm: 1, alertThresholds: [50, 101] }, 'input.alertThresholds.1'],
    [{ rpm: 1, alertThresholds: [80, 80] }, 'input.alertThresholds.1'],
    [{}, 'input'],
    [{ budgets: {} }, 'input'],
  ])('refuses %j with BAD_USER_INPUT on %s', async (input, field) => {
    const orgId = await createOrg(t.app, `Bad ${Math.random()}`);
    const r = await set(orgId, 'ORG', orgId, input);
    expect(errorOf(r)).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('requires the scope to be a live thing of that org, never revealing another tenant', async () => {
    const orgA = await createOrg(t.app, 'Scopes A');
    const orgB = await createOrg(t.app, 'Scopes B');
    const teamB = await createTeam(t.app, orgB, 'B team');
    const userA = await createUser(t.app, orgA, 'a@scopes.io');
    const moduleB = await enableModule(orgB);
    const key = await createKey(t.app, { orgId: orgA, userId: userA });
    await must(t.app.gql('mutation($id: ID!) { revokeVirtualKey(id: $id) { id } }', { id: key.id }));
    const cases: [string, string, Record<string, unknown>][] = [
      ['ORG', orgB, { code: 'BAD_USER_INPUT', field: 'scopeId' }],
      ['TEAM', teamB, { code: 'NOT_FOUND', field: 'scopeId' }],
      ['TEAM', 'not-a-uuid', { code: 'NOT_FOUND', field: 'scopeId' }],
      ['USER', '00000000-0000-4000-8000-000000000000', { code: 'NOT_FOUND', field: 'scopeId' }],
      ['KEY', key.id, { code: 'NOT_FOUND', field: 'scopeId' }],
      ['MODULE', moduleB, { code: 'NOT_FOUND', field: 'scopeId' }],
    ];
    for (const [scope, scopeId, error] of cases) {
      expect(errorOf(await set(orgA, scope, scopeId, { rpm: 5 })), `${scope} ${scopeId}`).toEqual(error);
    }
    const noOrg = await set('00000000-0000-4000-8000-000000000000', 'TEAM', teamB, { rpm: 5 });
    expect(errorOf(noOrg)).toEqual({ code: 'NOT_FOUND', field: 'orgId' });
    // A module enabled for the org is a scope; its name shows.
    const moduleA = await enableModule(orgA);
    const ok = await must<{ setLimits: Limits }>(set(orgA, 'MODULE', moduleA, { tpm: 100 }));
    expect(ok.setLimits).toMatchObject({ scope: 'MODULE', scopeId: moduleA, scopeName: 'Chat' });
  });

  it('lets only platform admins touch ORG scope; org admins stay within the org budgets; viewers read', async () => {
    const orgId = await createOrg(t.app, 'Rbac Inc');
    const other = await createOrg(t.app, 'Other Inc');
    const team = await createTeam(t.app, orgId, 'T');
    const admin = await tokenFor(t, 'ORG_ADMIN', orgId);
    const viewer = await tokenFor(t, 'ORG_VIEWER', orgId);
    const forbidden = { code: 'FORBIDDEN', field: undefined };
    expect(errorOf(await set(orgId, 'ORG', orgId, { budgets: { daily: '10' } }, admin))).toEqual(forbidden);
    expect(errorOf(await t.app.gql(removeLimits, { o: orgId, scope: 'ORG', s: orgId }, admin))).toEqual(forbidden);
    await must(set(orgId, 'ORG', orgId, { budgets: { daily: '10', monthly: '100' } }));

    // Within the org's budget of the same period; a period the org has no budget for is free.
    const over = await set(orgId, 'TEAM', team, { budgets: { daily: '10.000000001' } }, admin);
    expect(errorOf(over)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.budgets.daily' });
    expect(over.errors?.[0].message).toContain('10 USD');
    await must(set(orgId, 'TEAM', team, { budgets: { daily: '10', weekly: '500' } }, admin));
    // The platform admin is not held to it.
    await must(set(orgId, 'TEAM', team, { budgets: { daily: '50' } }));

    // The same rule on create inputs, in the create's transaction: nothing is created when it fails.
    const createTeamMutation =
      'mutation($i: CreateTeamInput!) { createTeam(input: $i) { id limits { budgets { limitUsd } } } }';
    const refused = await t.app.gql(
      createTeamMutation,
      { i: { orgId, name: 'Too rich', limits: { budgets: { monthly: '101' } } } },
      admin,
    );
    expect(errorOf(refused)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.limits.budgets.monthly' });
    const [{ n }] = await t.db.query("select count(*)::int as n from teams where name = 'Too rich'");
    expect(n).toBe(0);
    const made = await must<{ createTeam: { limits: { budgets: { limitUsd: string }[] } } }>(
      t.app.gql(createTeamMutation, { i: { orgId, name: 'Fine', limits: { budgets: { monthly: '99' } } } }, admin),
    );
    expect(made.createTeam.limits.budgets).toEqual([{ limitUsd: '99' }]);

    // Viewers read, and may not write.
    const read = await must<{ limits: { scope: string }[] }>(
      t.app.gql('query($o: ID!) { limits(orgId: $o) { scope } }', { o: orgId }, viewer),
    );
    expect(read.limits.map((l) => l.scope)).toEqual(['ORG', 'TEAM', 'TEAM']);
    expect(errorOf(await set(orgId, 'TEAM', team, { rpm: 1 }, viewer))).toEqual(forbidden);
    // Another org: refused, and a scope of another org reads as missing.
    expect(errorOf(await set(other, 'ORG', other, { rpm: 1 }, admin))).toEqual(forbidden);
    const foreignTeam = await createTeam(t.app, other, 'Foreign');
    expect(errorOf(await set(orgId, 'TEAM', foreignTeam, { rpm: 1 }, admin))).toEqual({
      code: 'NOT_FOUND',
      field: 'scopeId',
    });
  });

  it('never lets a limit outlive its team, user, key, module enablement or org', async () => {
    const orgId = await createOrg(t.app, 'Cascade Inc');
    const team = await createTeam(t.app, orgId, 'Gone team');
    const user = await createUser(t.app, orgId, 'gone@cascade.io');
    const key = await createKey(t.app, { orgId, userId: user });
    const moduleId = await enableModule(orgId);
    for (const [scope, id] of [
      ['ORG', orgId],
      ['TEAM', team],
      ['USER', user],
      ['KEY', key.id],
      ['MODULE', moduleId],
    ]) {
      await must(set(orgId, scope, id, { rpm: 10 }));
    }
    const scopes = async () =>
      (await t.db.query('select scope_kind from scope_limits where org_id = $1 order by 1', [orgId])).map(
        (r) => r.scope_kind,
      );
    expect(await scopes()).toEqual(['key', 'module', 'org', 'team', 'user']);
    await must(t.app.gql('mutation($id: ID!) { deleteTeam(id: $id) }', { id: team }));
    await must(t.app.gql('mutation($id: ID!) { revokeVirtualKey(id: $id) { id } }', { id: key.id }));
    expect(await scopes()).toEqual(['module', 'org', 'user']);
    await must(
      t.app.gql('mutation($m: ID!, $o: ID!) { disableModule(moduleId: $m, orgId: $o) }', { m: moduleId, o: orgId }),
    );
    await must(t.app.gql('mutation($id: ID!) { deleteUser(id: $id) }', { id: user }));
    expect(await scopes()).toEqual(['org']);
    await must(t.app.gql('mutation($id: ID!) { deleteOrganization(id: $id) }', { id: orgId }));
    expect(await scopes()).toEqual([]);
  });

  it('takes limits, a time zone and fail-open on create inputs; checks the time zone', async () => {
    const org = await must<{
      createOrganization: { id: string; timeZone: string; budgetFailOpen: boolean; limits: Limits };
    }>(
      t.app.gql(
        `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) {
           id timeZone budgetFailOpen limits { scope scopeId budgets { period limitUsd periodStart resetsAt } } } }`,
        {
          i: { name: 'Zoned', timeZone: 'Asia/Kolkata', budgetFailOpen: true, limits: { budgets: { daily: '3' } } },
        },
      ),
    );
    const { id: orgId } = org.createOrganization;
    expect(org.createOrganization).toMatchObject({ timeZone: 'Asia/Kolkata', budgetFailOpen: true });
    expect(org.createOrganization.limits).toMatchObject({ scope: 'ORG', scopeId: orgId });
    // A day in Kolkata starts at 18:30 UTC.
    const [daily] = org.createOrganization.limits.budgets as unknown as { periodStart: string; resetsAt: string }[];
    expect(daily.periodStart).toMatch(/T18:30:00\.000Z$/);
    expect(Date.parse(daily.resetsAt) - Date.parse(daily.periodStart)).toBe(86_400_000);

    const bad = await t.app.gql(
      'mutation { createOrganization(input: { name: "Nowhere", timeZone: "Mars/Base" }) { id } }',
    );
    expect(errorOf(bad)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.timeZone' });
    const badUpdate = await t.app.gql(
      'mutation($id: ID!) { updateOrganization(id: $id, input: { timeZone: "+05:30" }) { id } }',
      { id: orgId },
    );
    expect(errorOf(badUpdate)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.timeZone' });
    const updated = await must<{ updateOrganization: { timeZone: string; budgetFailOpen: boolean } }>(
      t.app.gql(
        'mutation($id: ID!) { updateOrganization(id: $id, input: { timeZone: "Europe/Berlin", budgetFailOpen: false }) { timeZone budgetFailOpen } }',
        { id: orgId },
      ),
    );
    expect(updated.updateOrganization).toEqual({ timeZone: 'Europe/Berlin', budgetFailOpen: false });

    const user = await must<{ createUser: { id: string; limits: { rpm: number } } }>(
      t.app.gql('mutation($i: CreateUserInput!) { createUser(input: $i) { id limits { rpm } } }', {
        i: { orgId, email: 'limited@zoned.io', limits: { rpm: 7 } },
      }),
    );
    expect(user.createUser.limits).toEqual({ rpm: 7 });
    const key = await must<{ createVirtualKey: { virtualKey: { limits: { tpm: number } } } }>(
      t.app.gql(
        'mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { virtualKey { limits { tpm } } } }',
        { i: { orgId, userId: user.createUser.id, name: 'k', limits: { tpm: 70 } } },
      ),
    );
    expect(key.createVirtualKey.virtualKey.limits).toEqual({ tpm: 70 });
    const plain = await createTeam(t.app, orgId, 'Plain');
    const noLimits = await must<{ team: { limits: null } }>(
      t.app.gql('query($id: ID!) { team(id: $id) { limits { id } } }', { id: plain }),
    );
    expect(noLimits.team.limits).toBeNull();
  });

  it('publishes limits and fail-open orgs to data planes, with a delta per change', async () => {
    const publisher = t.app.deps.publisher;
    const orgId = await createOrg(t.app, 'Published Inc');
    const team = await createTeam(t.app, orgId, 'Pub');
    await publisher.refresh();
    const before = publisher.current();
    const limits = await must<{ setLimits: Limits }>(
      set(orgId, 'TEAM', team, { budgets: { daily: '1.5', total: '2' }, rpm: 30, alertThresholds: [50] }),
    );
    await publisher.refresh();
    const after = publisher.current();
    expect(after?.version).toBe((before?.version ?? 0) + 1);
    expect(after?.snapshot.limits?.[limits.setLimits.id]).toEqual({
      id: limits.setLimits.id,
      orgId,
      scope: 'team',
      scopeId: team,
      budgets: { daily: 1_500_000_000, total: 2_000_000_000 },
      rpm: 30,
    });
    // Alert thresholds are not data-plane config: changing only them publishes nothing.
    await must(set(orgId, 'TEAM', team, { budgets: { daily: '1.5', total: '2' }, rpm: 30, alertThresholds: [60] }));
    await publisher.refresh();
    expect(publisher.current()?.version).toBe(after?.version);

    await must(
      t.app.gql('mutation($id: ID!) { updateOrganization(id: $id, input: { budgetFailOpen: true }) { id } }', {
        id: orgId,
      }),
    );
    await publisher.refresh();
    expect(publisher.current()?.snapshot.orgs[orgId]).toMatchObject({ budgetFailOpen: true });
    await must(t.app.gql(removeLimits, { o: orgId, scope: 'TEAM', s: team }));
    await publisher.refresh();
    expect(publisher.current()?.snapshot.limits?.[limits.setLimits.id]).toBeUndefined();
  });

  it('keeps the budget basis: provider cost by default, billed cost when a platform admin says so', async () => {
    const orgId = await createOrg(t.app, 'Basis Inc');
    const admin = await tokenFor(t, 'ORG_ADMIN', orgId);
    expect((await must<{ budgetBasis: string }>(t.app.gql('{ budgetBasis }'))).budgetBasis).toBe('PROVIDER_COST');
    const changed = await expectAudited(t, 'budgetBasis.set', () =>
      t.app.gql<{ setBudgetBasis: string }>('mutation { setBudgetBasis(basis: BILLED_COST) }'),
    );
    expect(changed.data.setBudgetBasis).toBe('BILLED_COST');
    expect(changed.event).toMatchObject({ before: { basis: 'provider_cost' }, after: { basis: 'billed_cost' } });
    expect(errorOf(await t.app.gql('mutation { setBudgetBasis(basis: PROVIDER_COST) }', {}, admin)).code).toBe(
      'FORBIDDEN',
    );
    await must(t.app.gql('mutation { setBudgetBasis(basis: PROVIDER_COST) }'));
  });
});
