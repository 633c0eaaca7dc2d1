// Depth and cost limits refuse a request before it runs, with stable codes; variables are priced at their value.
import { describe, expect, it } from 'vitest';
import { useApiSuite } from '../test-support/suite.ts';

const t = useApiSuite({ maxQueryDepth: 4, maxQueryCost: 300 });

describe('query limits', () => {
  it('answers QUERY_TOO_DEEP (HTTP 400) past the depth limit, without running anything', async () => {
    const ok = await t.app.gql('{ auditEvents(first: 1) { edges { node { id } } } }');
    expect(ok.errors).toBeUndefined();
    const deep = await t.app.gql('{ auditEvents(first: 1) { edges { node { actor { label } } } } }');
    expect(deep.status).toBe(400);
    expect(deep.data).toBeUndefined();
    expect(deep.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', depth: 5, maxDepth: 4 });
  });

  it('prices lists by the page size they ask for, from literals and from variables', async () => {
    const small = await t.app.gql('query($n: Int) { auditEvents(first: $n) { nodes { id action at } } }', { n: 10 });
    expect(small.errors).toBeUndefined();
    const big = await t.app.gql('query($n: Int) { auditEvents(first: $n) { nodes { id action at } } }', { n: 100 });
    expect(big.status).toBe(400);
    expect(big.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', maxCost: 300 });
    expect(big.errors?.[0].extensions?.cost).toBeGreaterThan(300);
    // Without a size argument a connection counts as a default page (50): one costs 201, two cost 402.
    expect((await t.app.gql('{ auditEvents { nodes { id action at } } }')).errors).toBeUndefined();
    const two = await t.app.gql(
      '{ a: auditEvents { nodes { id action at } } b: auditEvents { nodes { id action at } } }',
    );
    expect(two.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
  });
});
