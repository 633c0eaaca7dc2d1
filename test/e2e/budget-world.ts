// A fresh tenant with budgets stacked on every scope, for the budget tests: an org budget with team, user and key
// budgets under it, and keys whose traffic reaches each of them.
import type { Gql } from '../harness/gql.ts';
import type { TestDatabase } from '../harness/postgres.ts';
import { type CreatedKey, createKey } from '../harness/seed.ts';

export type Scope = 'ORG' | 'TEAM' | 'USER' | 'KEY';

export interface BudgetedScope {
  scope: Scope;
  id: string;
  period: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'TOTAL';
  /** USD, as set. */
  limitUsd: string;
  /** The usage_records column that attributes a record to this scope. */
  column: 'org_id' | 'team_id' | 'user_id' | 'key_id';
}

export interface BudgetWorld {
  orgId: string;
  /** Keys the clients share out: two under team A (one with a user budget), two under team B (one with a key budget). */
  keys: CreatedKey[];
  budgets: BudgetedScope[];
}

/**
 * Org: $1 in total. Team A: $0.50 a day. User A1 (team A): $0.20 a month. Key B1 (team B): $0.15 a week. Team B and
 * user A2 have none, so each budget above is reached by a different mix of keys, and the org's last.
 */
export async function budgetWorld(admin: Gql, name: string): Promise<BudgetWorld> {
  const { createOrganization: org } = await admin<{ createOrganization: { id: string } }>(
    'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
    { input: { name } },
  );
  const team = async (teamName: string) =>
    (
      await admin<{ createTeam: { id: string } }>(
        'mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }',
        { input: { orgId: org.id, name: teamName } },
      )
    ).createTeam.id;
  const user = async (email: string, teamId: string) =>
    (
      await admin<{ createUser: { id: string } }>(
        'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
        { input: { orgId: org.id, email, name: email, teamIds: [teamId] } },
      )
    ).createUser.id;
  const teamA = await team('A');
  const teamB = await team('B');
  const userA1 = await user(`a1@${name}.test`, teamA);
  const userA2 = await user(`a2@${name}.test`, teamA);
  const userB1 = await user(`b1@${name}.test`, teamB);
  const keys = [
    await createKey(admin, { orgId: org.id, teamId: teamA, userId: userA1, name: 'a1' }),
    await createKey(admin, { orgId: org.id, teamId: teamA, userId: userA2, name: 'a2' }),
    await createKey(admin, { orgId: org.id, teamId: teamB, name: 'b' }),
    await createKey(admin, { orgId: org.id, teamId: teamB, userId: userB1, name: 'b1' }),
  ];
  const budgets: BudgetedScope[] = [
    { scope: 'ORG', id: org.id, period: 'TOTAL', limitUsd: '1', column: 'org_id' },
    { scope: 'TEAM', id: teamA, period: 'DAILY', limitUsd: '0.5', column: 'team_id' },
    { scope: 'USER', id: userA1, period: 'MONTHLY', limitUsd: '0.2', column: 'user_id' },
    { scope: 'KEY', id: keys[3].id, period: 'WEEKLY', limitUsd: '0.15', column: 'key_id' },
  ];
  for (const b of budgets) await setBudget(admin, org.id, b);
  return { orgId: org.id, keys, budgets };
}

export async function setBudget(admin: Gql, orgId: string, b: BudgetedScope): Promise<void> {
  await admin(
    `mutation ($orgId: ID!, $scope: LimitScope!, $scopeId: ID!, $input: LimitsInput!) {
      setLimits(orgId: $orgId, scope: $scope, scopeId: $scopeId, input: $input) { id }
    }`,
    { orgId, scope: b.scope, scopeId: b.id, input: { budgets: { [b.period.toLowerCase()]: b.limitUsd } } },
  );
}

/** Recorded spend of a scope, exact (numeric sum in PostgreSQL), as a decimal string. */
export async function recordedSpend(db: TestDatabase, b: BudgetedScope): Promise<string> {
  const { rows } = await db.pool.query(
    `select coalesce(sum(cost_usd), 0)::text as spent from usage_records where ${b.column} = $1`,
    [b.id],
  );
  return rows[0].spent as string;
}

/** Usage records of the org (every answered request has one). */
export async function orgRecords(db: TestDatabase, orgId: string): Promise<number> {
  const { rows } = await db.pool.query('select count(*)::int as n from usage_records where org_id = $1', [orgId]);
  return rows[0].n as number;
}

/** What the control plane's ledger says of each budget, read over GraphQL. */
export async function ledgerView(
  admin: Gql,
  orgId: string,
): Promise<{ scope: Scope; scopeId: string; period: string; spentUsd: string; remainingUsd: string }[]> {
  const { limits } = await admin<{
    limits: {
      scope: Scope;
      scopeId: string;
      budgets: { period: string; spentUsd: string; remainingUsd: string }[];
    }[];
  }>('query ($orgId: ID!) { limits(orgId: $orgId) { scope scopeId budgets { period spentUsd remainingUsd } } }', {
    orgId,
  });
  return limits.flatMap((l) => l.budgets.map((b) => ({ scope: l.scope, scopeId: l.scopeId, ...b })));
}
