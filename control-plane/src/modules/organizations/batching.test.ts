// Nested lists load per level, not per parent: a page of 100 orgs with their teams, users and the users' teams costs
// the same, small number of SQL statements as a page of 10. Later nested pages (with a cursor) are read directly.
import { describe, expect, it, vi } from 'vitest';
import { must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { countQueries } from '../../test-support/tenancy.ts';

const t = useApiSuite();

const teamsPerOrg = 3;
const usersPerOrg = 5;

/** `count` orgs named "Batch <n>", each with its teams and users; every user is in the org's first two teams. */
async function seedOrgs(count: number): Promise<void> {
  await t.db.query(
    `insert into organizations (id, name, slug, created_at)
     select gen_random_uuid(), 'Batch ' || n, 'batch-' || n, now() + n * interval '1 ms' from generate_series(1, $1) n`,
    [count],
  );
  await t.db.query(
    `insert into teams (id, org_id, name, created_at)
     select gen_random_uuid(), o.id, 'Team ' || n, o.created_at + n * interval '1 ms'
       from organizations o cross join generate_series(1, $1) n where o.name like 'Batch %'`,
    [teamsPerOrg],
  );
  await t.db.query(
    `insert into users (id, org_id, email, created_at)
     select gen_random_uuid(), o.id, 'user' || n || '@' || o.slug || '.test', o.created_at + n * interval '1 ms'
       from organizations o cross join generate_series(1, $1) n where o.name like 'Batch %'`,
    [usersPerOrg],
  );
  await t.db.query(
    `insert into user_teams (user_id, team_id)
     select u.id, t.id from users u join teams t on t.org_id = u.org_id where t.name in ('Team 1', 'Team 2')`,
  );
}

const pageQuery = `query($n: Int!) {
  organizations(first: $n, filter: { search: "batch" }) {
    totalCount
    nodes {
      id name
      teams(first: 10) { totalCount nodes { id name members(first: 2) { totalCount nodes { email } } } }
      users(first: 10) { totalCount nodes { id email teamIds teams(first: 5) { totalCount nodes { name } } } }
      virtualKeys(first: 5) { totalCount }
    }
  }
}`;

type OrgPage = {
  organizations: {
    totalCount: number;
    nodes: {
      teams: { totalCount: number; nodes: { members: { totalCount: number; nodes: unknown[] } }[] };
      users: { totalCount: number; nodes: { teamIds: string[]; teams: { totalCount: number } }[] };
    }[];
  };
};

describe('nested list batching', () => {
  it('answers a page of 100 orgs with teams, members, users and their teams in a bounded number of queries', async () => {
    await seedOrgs(100);
    // The seed is a config change: let this replica's publisher take it before counting the API's statements.
    const [{ version }] = await t.db.query<{ version: string }>('select version from config_state');
    await vi.waitFor(() => expect(t.app.deps.publisher.current()?.version).toBe(Number(version)), { timeout: 10_000 });
    const small = await countQueries(t, () => must<OrgPage>(t.app.gql(pageQuery, { n: 10 })));
    const large = await countQueries(t, () => must<OrgPage>(t.app.gql(pageQuery, { n: 100 })));
    console.log(`SQL statements: ${small.queries.length} for 10 orgs, ${large.queries.length} for 100 orgs`);
    // organizations: count + page; then one window query per nested list (teams, members, users, user teams, keys)
    // and one for teamIds, whatever the number of parents.
    expect(large.queries.length).toBe(small.queries.length);
    expect(large.queries.length).toBeLessThanOrEqual(8);

    const page = large.result.organizations;
    expect(page.totalCount).toBe(100);
    expect(page.nodes).toHaveLength(100);
    for (const org of page.nodes) {
      expect(org.teams.totalCount).toBe(teamsPerOrg);
      expect(org.teams.nodes.map((x) => x.members.totalCount)).toEqual([usersPerOrg, usersPerOrg, 0]);
      expect(org.teams.nodes[0].members.nodes).toHaveLength(2);
      expect(org.users.totalCount).toBe(usersPerOrg);
      for (const user of org.users.nodes) {
        expect(user.teamIds).toHaveLength(2);
        expect(user.teams.totalCount).toBe(2);
      }
    }
  });

  it('reads later nested pages with the cursor, in order, forwards and backwards', async () => {
    const [{ id }] = await t.db.query("select id from organizations where name = 'Batch 7'");
    const q = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      organization(id: $id) { users(first: $first, after: $after, last: $last, before: $before) {
        totalCount nodes { email } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
    type Users = {
      organization: {
        users: { totalCount: number; nodes: { email: string }[]; pageInfo: Record<string, string | boolean> };
      };
    };
    const emails = (p: Users) => p.organization.users.nodes.map((u) => u.email.split('@')[0]);
    const one = await must<Users>(t.app.gql(q, { id, first: 2 }));
    expect(emails(one)).toEqual(['user1', 'user2']);
    const two = await must<Users>(t.app.gql(q, { id, first: 2, after: one.organization.users.pageInfo.endCursor }));
    expect(emails(two)).toEqual(['user3', 'user4']);
    expect(two.organization.users.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const three = await must<Users>(t.app.gql(q, { id, first: 2, after: two.organization.users.pageInfo.endCursor }));
    expect(emails(three)).toEqual(['user5']);
    expect(three.organization.users.pageInfo.hasNextPage).toBe(false);
    const back = await must<Users>(
      t.app.gql(q, { id, last: 2, before: three.organization.users.pageInfo.startCursor }),
    );
    expect(emails(back)).toEqual(['user3', 'user4']);
    const last = await must<Users>(t.app.gql(q, { id, last: 2 }));
    expect(emails(last)).toEqual(['user4', 'user5']);
    expect(last.organization.users.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(last.organization.users.totalCount).toBe(usersPerOrg);
  });
});
