// Depth, cost, alias and token limits refuse a request before it runs, with stable codes, over HTTP and over
// graphql-ws alike (the issue found them applied to HTTP only); one result is capped in size on both.
import { beforeAll, describe, expect, it } from 'vitest';
import { useApiSuite } from '../test-support/suite.ts';
import { buildWorld } from '../test-support/tenant-world.ts';
import { dataPlaneToken, type GqlResult, type TestApp } from '../test-support/test-app.ts';

const transports = ['http', 'ws'] as const;
type Transport = (typeof transports)[number];

function run(
  app: TestApp,
  transport: Transport,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<GqlResult<Record<string, unknown>>> {
  return transport === 'http' ? app.gql(query, variables, token) : app.wsGql(query, variables, token);
}

/** `{ ...F0 }` where each fragment spreads the next one twice: 2^n spreads, one selection once collected. */
function doublingFragments(n: number, last: string): string {
  const chain = Array.from({ length: n }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query { ...F0 } ${chain.join(' ')} fragment F${n} on Query { ${last} }`;
}

describe('query limits', () => {
  const t = useApiSuite({ maxQueryDepth: 4, maxQueryCost: 300, maxQueryAliases: 3, maxQueryTokens: 2000 });
  let viewer: string;
  beforeAll(async () => {
    viewer = (await buildWorld(t.app)).tokens.orgViewer;
  }, 60_000);

  describe.each(transports)('over %s', (transport) => {
    const q = (query: string, variables?: Record<string, unknown>) => run(t.app, transport, query, variables, viewer);

    it('answers QUERY_TOO_DEEP past the depth limit, without running anything', async () => {
      const ok = await q('{ teams(first: 1) { nodes { members(first: 1) { totalCount } } } }');
      expect(ok.errors).toBeUndefined();
      const deep = await q('{ teams(first: 1) { nodes { members(first: 1) { nodes { id } } } } }');
      expect(deep.data).toBeUndefined();
      expect(deep.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_DEEP', depth: 5, maxDepth: 4 });
      if (transport === 'http') expect(deep.status).toBe(400);
    });

    it('prices lists by the page size they ask for, from literals and from variables', async () => {
      const list = 'query($n: Int) { teams(first: $n) { nodes { id name status } } }';
      expect((await q(list, { n: 10 })).errors).toBeUndefined();
      const big = await q(list, { n: 100 });
      expect(big.data).toBeUndefined();
      expect(big.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', maxCost: 300 });
      expect(big.errors?.[0].extensions?.cost).toBeGreaterThan(300);
      // Without a size argument a connection counts as a default page (50): one costs 201, two cost 402.
      expect((await q('{ teams { nodes { id name status } } }')).errors).toBeUndefined();
      const two = await q('{ teams { nodes { id name status } } again: teams { nodes { id name status } } }');
      expect(two.errors?.[0].extensions?.code).toBe('QUERY_TOO_COSTLY');
    });

    it('answers QUERY_TOO_MANY_ALIASES past the alias limit, counting fragments as often as they are spread', async () => {
      const three = '{ a: __typename b: __typename c: teams(first: 1) { totalCount } }';
      expect((await q(three)).errors).toBeUndefined();
      const four = await q('{ a: __typename b: __typename c: __typename d: __typename }');
      expect(four.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_MANY_ALIASES', aliases: 4, maxAliases: 3 });
      const spread = await q(
        '{ x: teams(first: 1) { ...N } y: teams(first: 1) { ...N } } fragment N on TeamConnection { n: totalCount }',
      );
      expect(spread.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_MANY_ALIASES', aliases: 4 });
    });

    it('collects a fragment spread twice into one selection once, as execution does', async () => {
      // Priced naively this is 2^12 team lists (8192 > 300); executed, it is one.
      const r = await q(doublingFragments(12, 'teams(first: 1) { totalCount }'));
      expect(r.errors).toBeUndefined();
      expect(r.data).toEqual({ teams: { totalCount: 1 } });
    });

    it('stops pricing once a query is known to be over the limits', async () => {
      // Each fragment selects the next one under two aliases: 2^24 fields, refused without walking them all.
      const branch = (i: number) => `organization { teams(first: 1) { nodes { ...T${i + 1} } } }`;
      const chain = Array.from({ length: 24 }, (_, i) => `fragment T${i} on Team { a: ${branch(i)} b: ${branch(i)} }`);
      const query = `{ teams(first: 1) { nodes { ...T0 } } } ${chain.join(' ')} fragment T24 on Team { id }`;
      const r = await q(query);
      expect(r.errors?.[0].extensions?.code).toMatch(/^QUERY_TOO_/);
    });
  });
});

describe('token and response size limits', () => {
  const maxResponseBytes = 2048;
  const t = useApiSuite({ maxResponseBytes, maxQueryTokens: 60 });
  const large = '{ __schema { types { name description } } }';

  describe.each(transports)('over %s', (transport) => {
    it('answers GRAPHQL_PARSE_FAILED past the token limit', async () => {
      expect((await run(t.app, transport, `{ ${'__typename '.repeat(58)} }`)).errors).toBeUndefined();
      const long = await run(t.app, transport, `{ ${'__typename '.repeat(59)} }`);
      expect(long.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(long.errors?.[0].message).toContain('60 tokens');
    });

    it('answers RESPONSE_TOO_LARGE instead of a result over the limit, never a partial one', async () => {
      expect((await run(t.app, transport, '{ __schema { queryType { name } } }')).errors).toBeUndefined();
      const r = await run(t.app, transport, large);
      expect(r.data).toBeNull();
      expect(r.errors).toHaveLength(1);
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', maxBytes: maxResponseBytes });
      expect(r.errors?.[0].extensions?.bytes).toBeGreaterThan(maxResponseBytes);
      expect(t.app.logs.some((l) => l.msg === 'result over the response size limit refused')).toBe(true);
    });
  });

  it('lets a data plane receive a config snapshot larger than the limit', async () => {
    await buildWorld(t.app);
    const client = t.app.wsClient(dataPlaneToken);
    const first = await new Promise<unknown>((resolve, reject) => {
      const stop = client.subscribe(
        { query: 'subscription { configSync(nodeId: "dp-big", protocol: 2) }' },
        {
          next: (r) => {
            stop();
            resolve(r);
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    expect(first).toMatchObject({ data: { configSync: { type: 'full' } } });
    expect(JSON.stringify(first).length).toBeGreaterThan(maxResponseBytes);
    await client.dispose();
  });
});
