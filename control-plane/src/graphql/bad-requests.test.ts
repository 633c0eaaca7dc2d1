// Malformed requests get a 4xx (or the protocol's error message) with a stable extensions.code, never
// INTERNAL_SERVER_ERROR, a stack trace or an error log, over HTTP and over graphql-ws; a bad operation on a
// WebSocket leaves the socket and its other operations alone.
import { connect } from 'node:net';
import type { Client } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOrg } from '../test-support/fixtures.ts';
import { useApiSuite } from '../test-support/suite.ts';
import { adminToken, waitFor } from '../test-support/test-app.ts';

const t = useApiSuite();

interface Sent {
  method?: 'GET' | 'POST';
  /** Query string for GET. */
  search?: string;
  body?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

async function send(req: Sent) {
  const headers: Record<string, string> = { authorization: `Bearer ${adminToken}`, ...req.headers };
  if (req.contentType !== null) headers['content-type'] = req.contentType ?? 'application/json';
  const res = await fetch(`${t.app.url}/graphql${req.search ?? ''}`, {
    method: req.method ?? 'POST',
    headers,
    body: req.body,
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

const json = (value: unknown) => JSON.stringify(value);
const typename = '{ __typename }';
const auditTo = 'query($t: DateTime) { auditEvents(filter: { to: $t }) { totalCount } }';

const cases: [string, Sent, number, string][] = [
  [
    'a subscription over HTTP POST',
    { body: json({ query: 'subscription { usageUpdates { orgId } }' }) },
    400,
    'BAD_REQUEST',
  ],
  [
    'a subscription over HTTP whose root field is skipped by a variable',
    {
      body: json({
        query: 'subscription($s: Boolean!) { usageUpdates @skip(if: $s) { orgId } }',
        variables: { s: false },
      }),
    },
    400,
    'BAD_REQUEST',
  ],
  [
    'a subscription over HTTP GET',
    { method: 'GET', search: `?query=${encodeURIComponent('subscription { usageUpdates { orgId } }')}` },
    400,
    'BAD_REQUEST',
  ],
  [
    'a persisted query whose hash does not match',
    { body: json({ query: typename, extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }) },
    200,
    'PERSISTED_QUERY_NOT_SUPPORTED',
  ],
  [
    'a persisted query of an unknown version',
    { body: json({ query: typename, extensions: { persistedQuery: { version: 2, sha256Hash: 'abc' } } }) },
    200,
    'PERSISTED_QUERY_NOT_SUPPORTED',
  ],
  [
    'a persisted query by hash alone',
    { body: json({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }) },
    200,
    'PERSISTED_QUERY_NOT_SUPPORTED',
  ],
  ['a batch', { body: json([{ query: typename }, { query: typename }]) }, 400, 'BAD_REQUEST'],
  ['a body that is not JSON', { body: '{"query":' }, 400, 'BAD_REQUEST'],
  ['a JSON body that is not an object', { body: '42' }, 400, 'BAD_REQUEST'],
  ['a text/plain body', { body: json({ query: typename }), contentType: 'text/plain' }, 400, 'BAD_REQUEST'],
  ['no content type', { body: json({ query: typename }), contentType: null }, 400, 'BAD_REQUEST'],
  ['variables that are not an object', { body: json({ query: typename, variables: [1] }) }, 400, 'BAD_REQUEST'],
  ['a query that is not a string', { body: json({ query: 1 }) }, 400, 'BAD_REQUEST'],
  [
    'an Int variable out of range',
    { body: json({ query: 'query($n: Int) { teams(first: $n) { totalCount } }', variables: { n: 1e20 } }) },
    400,
    'BAD_USER_INPUT',
  ],
  [
    'an unknown enum value',
    {
      body: json({
        query: 'query($s: EntityStatus) { teams(filter: { status: $s }) { totalCount } }',
        variables: { s: 'GONE' },
      }),
    },
    400,
    'BAD_USER_INPUT',
  ],
  [
    'a literal nested 20000 levels deep',
    {
      body: json({
        query: `{ teams(filter: { search: ${'['.repeat(20_000)}"x"${']'.repeat(20_000)} }) { totalCount } }`,
      }),
    },
    400,
    'GRAPHQL_PARSE_FAILED',
  ],
  [
    'a DateTime past year 9999 in UTC',
    { body: json({ query: auditTo, variables: { t: '9999-12-31T23:00:00-14:00' } }) },
    400,
    'BAD_USER_INPUT',
  ],
  [
    'a DateTime before year 1 in UTC',
    { body: json({ query: auditTo, variables: { t: '0001-01-01T00:00:00+14:00' } }) },
    400,
    'BAD_USER_INPUT',
  ],
  [
    'a usage window starting within the last day of 9999',
    {
      body: json({
        query: 'query($f: DateTime) { usageByOrg(from: $f) { totalCount } }',
        variables: { f: '9999-12-31T23:59:59Z' },
      }),
    },
    400,
    'BAD_USER_INPUT',
  ],
  [
    'an unknown operation name',
    { body: json({ query: typename, operationName: 'Nope' }) },
    400,
    'OPERATION_RESOLUTION_FAILURE',
  ],
  [
    'a mutation over GET',
    {
      method: 'GET',
      search: `?query=${encodeURIComponent('mutation { logout }')}`,
      headers: { 'apollo-require-preflight': '1' },
    },
    405,
    'BAD_REQUEST',
  ],
  [
    'a body over 16 MiB',
    { body: json({ query: `{ __typename } # ${'x'.repeat(16 * 1024 * 1024)}` }) },
    413,
    'BAD_REQUEST',
  ],
];

describe('over HTTP', () => {
  it.each(cases)('%s', async (_, req, status, code) => {
    const r = await send(req);
    expect(r.status).toBe(status);
    expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    expect(r.text).not.toMatch(/stack|\bat [\w.]+ \(/i);
  });

  it.each(['teams', 'users', 'adminUsers', 'apiTokens', 'virtualKeys'])(
    'answers NOT_FOUND for %s of an orgId that is not an id',
    async (list) => {
      const r = await send({ body: json({ query: `{ ${list}(orgId: "x") { totalCount } }` }) });
      expect(r.body.errors?.map((e) => e.extensions)).toEqual([{ code: 'NOT_FOUND', field: 'orgId' }]);
    },
  );

  it('lets a client go away in the middle of its body without an error log', async () => {
    const url = new URL(t.app.url);
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    // With `expect: 100-continue` the server answers "100 Continue" once the request has reached its handler.
    socket.write(
      'POST /graphql HTTP/1.1\r\nhost: cp\r\ncontent-type: application/json\r\ncontent-length: 100\r\n' +
        'expect: 100-continue\r\n\r\n',
    );
    await new Promise((resolve) => socket.once('data', resolve));
    socket.write('{"qu');
    socket.destroy();
    await waitFor(() => (t.app.logs.some((l) => l.msg === 'request body aborted by the client') ? true : undefined));
  });
});

describe('billing periods and windows the database cannot hold', () => {
  it('answers BAD_USER_INPUT for them over GraphQL and over the CSV export', async () => {
    const orgId = await createOrg(t.app, 'Far future');
    const exportQuery = 'query($o: ID!, $p: String) { billingExport(orgId: $o, period: $p) { lineCount } }';
    for (const period of ['9999-12', '0000-01']) {
      const r = await t.app.gql(exportQuery, { o: orgId, p: period });
      expect(r.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'period' });
    }
    for (const search of [
      `?orgId=${orgId}&period=9999-12`,
      `?orgId=${orgId}&from=9999-12-31T00:00:00-14:00&to=9999-12-31T23:00:00-14:00`,
      `?orgId=${orgId}&from=0001-01-01T00:00:00%2B14:00&to=0001-01-02T00:00:00Z`,
    ]) {
      const res = await fetch(`${t.app.url}/export/usage.csv${search}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_USER_INPUT');
    }
  });
});

type WsAnswer = { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };

/** One operation on `client`: its last result, or the errors of its `error` message; a closed socket rejects. */
function one(client: Client, query: string, variables?: Record<string, unknown>, operationName?: string) {
  return new Promise<WsAnswer>((resolve, reject) => {
    let result: { data?: unknown } | undefined;
    client.subscribe(
      { query, variables, operationName },
      {
        next: (r) => {
          result = r;
        },
        error: (e) =>
          Array.isArray(e) ? resolve({ errors: e }) : reject(new Error(`socket closed: ${JSON.stringify(e)}`)),
        complete: () => resolve(result ?? {}),
      },
    );
  });
}

describe('over graphql-ws', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers each bad operation with the code HTTP gives it and keeps serving the socket', async () => {
    const client = t.app.wsClient(adminToken);
    const codeOf = async (p: Promise<WsAnswer>) => (await p).errors?.map((e) => e.extensions?.code);
    expect(await codeOf(one(client, '{ __typename'))).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(await codeOf(one(client, '{ noSuchField }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(await codeOf(one(client, typename, undefined, 'Nope'))).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    expect(await codeOf(one(client, 'query A { __typename } query B { __typename }'))).toEqual([
      'OPERATION_RESOLUTION_FAILURE',
    ]);
    expect(await codeOf(one(client, 'query($n: Int) { teams(first: $n) { totalCount } }', { n: 'x' }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await codeOf(one(client, auditTo, { t: '9999-12-31T23:00:00-14:00' }))).toEqual(['BAD_USER_INPUT']);
    // The same socket still answers: none of the above closed it.
    expect(await one(client, typename)).toEqual({ data: { __typename: 'Query' } });
    await client.dispose();
  });

  // graphql-js 16 would run it with no root field and fail with a TypeError: graphql-ws printed the stack, 4500.
  it.each([
    ['skipped', 'subscription { usageUpdates @include(if: false) { costUsd } }', {}],
    ['skipped by a variable', 'subscription($s: Boolean!) { usageUpdates @skip(if: $s) { costUsd } }', { s: true }],
    ['kept', 'subscription { usageUpdates @include(if: true) { costUsd } }', {}],
    [
      'skipped in a fragment',
      'subscription { ...F } fragment F on Subscription { usageUpdates @skip(if: true) { costUsd } }',
      {},
    ],
    ['in a skipped inline fragment', 'subscription { ... @skip(if: true) { usageUpdates { costUsd } } }', {}],
  ])(
    'refuses a subscription whose root field is conditional (%s) and keeps serving the socket',
    async (_, query, variables) => {
      const consoleError = vi.spyOn(console, 'error');
      const client = t.app.wsClient(adminToken);
      const answer = await one(client, query, variables);
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(await one(client, typename)).toEqual({ data: { __typename: 'Query' } });
      expect(consoleError).not.toHaveBeenCalled();
      await client.dispose();
    },
  );

  it('closes a socket that sends a message over 16 MiB with 1009, as a warning only', async () => {
    const consoleError = vi.spyOn(console, 'error');
    await expect(t.app.wsGql(`{ __typename } # ${'x'.repeat(16 * 1024 * 1024)}`)).rejects.toThrow('1009');
    expect(consoleError).not.toHaveBeenCalled();
    expect(t.app.logs.some((l) => l.msg === 'websocket protocol error' && l.level === 40)).toBe(true);
  });
});
