// What the fuzzers found (issue 7), each reduced to a small input and kept as a regression case: every case runs
// exactly like a fuzz run, so it fails until its bug is fixed and fails again if the bug comes back.
import { createHash } from 'node:crypto';
import type { DataPlaneInput } from './data-plane-inputs.ts';
import type { GeneratedOperation } from './graphql-documents.ts';
import type { GraphQLInput } from './graphql-requests.ts';
import type { WsProtocolInput } from './graphql-run.ts';
import { WsMessage } from './graphql-ws-inputs.ts';
import { deepJsonText } from './odd-values.ts';

export interface Found<T> {
  name: string;
  input: T;
}

const chat = (body: Record<string, unknown>): DataPlaneInput => ({
  method: 'POST',
  path: '/v1/chat/completions',
  auth: 'valid',
  contentType: 'application/json',
  headers: [],
  body: { kind: 'json', value: { messages: [{ role: 'user', content: 'hi' }], ...body } },
  chunked: false,
});

export const foundInDataPlane: Found<DataPlaneInput>[] = [
  {
    name: 'a NUL in the model name: the usage record of the refused request is still stored',
    input: chat({ model: '\u0000' }),
  },
  {
    name: 'an unpaired surrogate in the model name: the usage record of the refused request is still stored',
    input: chat({ model: '\ud800' }),
  },
  {
    name: 'JSON 20,000 levels deep in a field the gateway passes on: a 4xx, not a 500 from JSON.stringify',
    input: { ...chat({}), body: { kind: 'deep', at: 'extra', deep: { depth: 20_000, shape: 'array' } } },
  },
];

const query = (document: string, kind: GeneratedOperation['kind'] = 'query'): GeneratedOperation => ({
  kind,
  document,
  variables: {},
});

const http = (op: GeneratedOperation, extra: Partial<GraphQLInput> = {}): GraphQLInput => ({
  caller: 'org-admin',
  op,
  framing: 'json',
  ...extra,
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const foundInGraphQLOverHttp: Found<GraphQLInput>[] = [
  {
    name: 'a persisted-query hash that does not match the query: a request error, not INTERNAL_SERVER_ERROR',
    input: http(query('{ __typename }'), {
      extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
    }),
  },
  {
    name: 'a persisted query of an unknown version: a request error, not INTERNAL_SERVER_ERROR',
    input: http(query('{ __typename }'), {
      extensions: { persistedQuery: { version: 2, sha256Hash: sha256('{ __typename }') } },
    }),
  },
  {
    name: 'the configSync subscription over HTTP: refused as a request error, not INTERNAL_SERVER_ERROR',
    input: http(query('subscription { configSync(nodeId: "n") }', 'subscription')),
  },
  {
    name: 'the usageUpdates subscription over HTTP: refused as a request error, not INTERNAL_SERVER_ERROR',
    input: http(query('subscription { usageUpdates { costUsd } }', 'subscription')),
  },
  {
    name: 'a NUL in a search filter: a request error, not a DriverException',
    input: http(query('{ organizations(filter: {search: "\\u0000"}) { totalCount } }')),
  },
];

export const foundInGraphQLOverWs: Found<GeneratedOperation>[] = [
  {
    name: 'a syntax error over graphql-ws: an error message, not a 4500 close and a stack on stderr',
    input: query('{'),
  },
  {
    name: 'a document nested 5,000 levels over graphql-ws: an error message, not a 4500 close',
    input: query(`{ ${'a { '.repeat(5_000)}b${' }'.repeat(5_000)} }`),
  },
  {
    name: 'a query 25 levels deep over graphql-ws: refused with QUERY_TOO_DEEP, as over HTTP',
    input: query(
      `{ organizations { nodes { ${'teams { nodes { organization { '.repeat(8)}id${' } } }'.repeat(8)} } } }`,
    ),
  },
  {
    name: 'a query costing more than GRAPHQL_MAX_COST over graphql-ws: refused with QUERY_TOO_COSTLY, as over HTTP',
    input: query(
      '{ users(first: 100) { nodes { virtualKeys(first: 100) { nodes { organization { teams(first: 100) { totalCount } } } } } } }',
    ),
  },
];

/** Subscriptions the server must answer with an error rather than accept (so the test waits for that answer). */
export const refusedSubscriptionsOverWs: Found<GeneratedOperation>[] = [
  {
    name: 'a subscription whose only root field is skipped: an error message, not a 4500 close',
    input: query('subscription { usageUpdates @include(if: false) { costUsd } }', 'subscription'),
  },
];

const message = (text: string, shown = text) => new WsMessage(text, shown);

export const foundInGraphQLWsProtocol = (token: string): Found<WsProtocolInput>[] => [
  {
    name: 'a `next` message from the client: closed as the client’s fault (4400), no stack on stderr',
    input: {
      init: { authorization: `Bearer ${token}` },
      messages: [message(JSON.stringify({ id: '1', type: 'next', payload: {} }))],
    },
  },
  {
    name: 'a `connection_ack` message from the client: closed as the client’s fault (4400), no stack on stderr',
    input: {
      init: { authorization: `Bearer ${token}` },
      messages: [message(JSON.stringify({ type: 'connection_ack' }))],
    },
  },
  {
    // graphql-ws answers a ping with a pong carrying the same payload, and JSON.stringify overflows on it.
    name: 'a ping whose payload is nested 30,000 levels: closed as the client’s fault, no stack on stderr',
    input: {
      init: { authorization: `Bearer ${token}` },
      messages: [
        message(
          `{"type":"ping","payload":${deepJsonText({ depth: 30_000, shape: 'object' })}}`,
          '{"type":"ping","payload":<JSON 30000 levels deep>}',
        ),
      ],
    },
  },
];
