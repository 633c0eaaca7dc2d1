// The audit log's order and pages: newest first by the event's sequence number, past ten events too (a text sort
// would put event 9 before event 10), and cursors that walk the same order forward and back without gaps.
import { describe, expect, it } from 'vitest';
import { createOrg, must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';

const t = useApiSuite();

interface Page {
  auditEvents: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
    nodes: { id: string; action: string; targetId: string | null }[];
  };
}

const list = `query($o: ID, $first: Int, $after: String, $last: Int, $before: String) {
  auditEvents(orgId: $o, filter: { action: "team.create" }, first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id action targetId }
  }
}`;

describe('audit log order', () => {
  it('lists events newest first across pages, past ten events', async () => {
    const org = await createOrg(t.app, 'Audit order');
    const teams: string[] = [];
    for (let i = 0; i < 14; i++) {
      const d = await must<{ createTeam: { id: string } }>(
        t.app.gql('mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }', {
          i: { orgId: org, name: `T${i}` },
        }),
      );
      teams.push(d.createTeam.id);
    }
    const newestFirst = [...teams].reverse();

    const all = await must<Page>(t.app.gql(list, { o: org, first: 50 }));
    expect(all.auditEvents.totalCount).toBe(14);
    expect(all.auditEvents.nodes.map((n) => n.targetId)).toEqual(newestFirst);
    const ids = all.auditEvents.nodes.map((n) => BigInt(n.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(ids);

    // Forward in pages of 5, then back from the last page: the same order, every event once.
    const forward: string[] = [];
    let after: string | null = null;
    let page: Page;
    do {
      page = await must<Page>(t.app.gql(list, { o: org, first: 5, after }));
      forward.push(...page.auditEvents.nodes.map((n) => n.targetId ?? ''));
      after = page.auditEvents.pageInfo.endCursor;
    } while (page.auditEvents.pageInfo.hasNextPage);
    expect(forward).toEqual(newestFirst);

    const back = await must<Page>(t.app.gql(list, { o: org, last: 5, before: page.auditEvents.pageInfo.startCursor }));
    expect(back.auditEvents.nodes.map((n) => n.targetId)).toEqual(newestFirst.slice(5, 10));
  });
});
