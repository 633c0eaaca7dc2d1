// A GraphQL request as the fuzzer sends it over HTTP: who asks, the operation, and how it is framed (JSON POST,
// GET, a batch, a persisted-query hash, a content type the CSRF check refuses), and what any answer must satisfy.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { type DocumentOptions, type GeneratedOperation, operation } from './graphql-documents.ts';
import { anyJson, oddText } from './odd-values.ts';
import { toJsonText } from './serialize.ts';

export type Caller = 'org-admin' | 'anonymous' | { bearer: string };
export type Framing = 'json' | 'get' | 'text-plain' | 'no-content-type' | 'batch' | 'non-object' | 'hash-only';

export interface GraphQLInput {
  caller: Caller;
  op: GeneratedOperation;
  framing: Framing;
  operationName?: unknown;
  extensions?: unknown;
}

/** A valid HTTP header value (tab, visible ASCII, Latin-1): odd header bytes are the data-plane fuzzer's job. */
const headerSafe = (s: string) => s.replace(/[^\t\u0020-\u007e\u0080-\u00ff]/g, '?');

const caller: fc.Arbitrary<Caller> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('org-admin' as const) },
  { weight: 3, arbitrary: fc.constant('anonymous' as const) },
  { weight: 1, arbitrary: oddText(40).map((s) => ({ bearer: headerSafe(s) })) },
);

const framing: fc.Arbitrary<Framing> = fc.oneof(
  { weight: 30, arbitrary: fc.constant('json' as const) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'get' as const,
      'text-plain' as const,
      'no-content-type' as const,
      'batch' as const,
      'non-object' as const,
      'hash-only' as const,
    ),
  },
);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Automatic persisted queries: a random hash, the hash of another document, or an odd value. */
const persistedQuery = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{64}$/).map((sha256Hash) => ({ persistedQuery: { version: 1, sha256Hash } })),
  fc.constant({ persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } }),
  fc.record({ persistedQuery: fc.record({ version: fc.oneof(fc.constant(1), anyJson), sha256Hash: anyJson }) }),
  anyJson,
);

export function graphqlInput(o: DocumentOptions): fc.Arbitrary<GraphQLInput> {
  return fc.record(
    {
      caller,
      // Shrinks to the trivial operation first: a failure that does not depend on the document then shows none.
      op: fc.oneof(
        { withCrossShrink: true },
        {
          weight: 1,
          arbitrary: fc.constant<GeneratedOperation>({ kind: 'query', document: '{ __typename }', variables: {} }),
        },
        { weight: 30, arbitrary: operation(o) },
      ),
      framing,
      operationName: fc.oneof(fc.constant('Op'), oddText(10), anyJson),
      extensions: persistedQuery,
    },
    { requiredKeys: ['caller', 'op', 'framing'] },
  );
}

export interface HttpAnswer {
  status: number;
  text: string;
}

function payloadOf(input: GraphQLInput): Record<string, unknown> {
  const payload: Record<string, unknown> = { query: input.op.document, variables: input.op.variables };
  if ('operationName' in input) payload.operationName = input.operationName;
  if ('extensions' in input) payload.extensions = input.extensions;
  return payload;
}

export async function sendHttp(url: string, token: string | undefined, input: GraphQLInput): Promise<HttpAnswer> {
  const bearer = typeof input.caller === 'object' ? input.caller.bearer : input.caller === 'org-admin' ? token : '';
  const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
  const payload = payloadOf(input);
  let target = url;
  let body: string | undefined;
  switch (input.framing) {
    case 'get': {
      const params = new URLSearchParams({ query: input.op.document, variables: toJsonText(input.op.variables) });
      if ('extensions' in input) params.set('extensions', toJsonText(input.extensions));
      target = `${url}?${params}`;
      // Apollo's CSRF prevention lets a GET through only with a header a browser would not send by itself.
      headers['apollo-require-preflight'] = 'true';
      break;
    }
    case 'text-plain':
      headers['content-type'] = 'text/plain';
      body = toJsonText(payload);
      break;
    case 'no-content-type':
      body = toJsonText(payload);
      break;
    case 'batch':
      headers['content-type'] = 'application/json';
      body = toJsonText([payload, payload]);
      break;
    case 'non-object':
      headers['content-type'] = 'application/json';
      // A JSON string where an object belongs.
      body = toJsonText(input.op.document);
      break;
    case 'hash-only': {
      headers['content-type'] = 'application/json';
      const { query: _query, ...rest } = payload;
      body = toJsonText({ ...rest, extensions: input.extensions ?? { persistedQuery: { version: 1 } } });
      break;
    }
    default:
      headers['content-type'] = 'application/json';
      body = toJsonText(payload);
  }
  const res = await fetch(target, {
    method: input.framing === 'get' ? 'GET' : 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, text: await res.text() };
}

const stackTrace = /\bat .+\.(ts|js|mjs|cjs):\d+/;

export interface GraphQLErrorJson {
  message?: unknown;
  extensions?: { code?: unknown; stacktrace?: unknown; [k: string]: unknown };
}

/** Problems with GraphQL errors, whatever the transport: every error coded, never internal, no stack. */
export function errorProblems(errors: GraphQLErrorJson[] | undefined): string[] {
  const problems: string[] = [];
  for (const e of errors ?? []) {
    const code = e.extensions?.code;
    if (typeof code !== 'string') problems.push(`an error without extensions.code: ${JSON.stringify(e).slice(0, 300)}`);
    else if (code === 'INTERNAL_SERVER_ERROR') problems.push(`INTERNAL_SERVER_ERROR: ${String(e.message)}`);
    if (e.extensions?.stacktrace !== undefined) problems.push('extensions.stacktrace in an error');
    if (typeof e.message === 'string' && stackTrace.test(e.message)) problems.push('a stack trace in a message');
  }
  return problems;
}

/** Every problem with an HTTP answer: a 5xx, a body that is not a GraphQL answer, or an error it must not hold. */
export function httpProblems(answer: HttpAnswer, input: GraphQLInput): string[] {
  const problems: string[] = [];
  // A GET whose URL outgrows Node's 16 KiB head limit is refused by Node itself, before the control plane.
  if (input.framing === 'get' && answer.status === 431 && answer.text === '') return problems;
  if (answer.status >= 500) problems.push(`HTTP ${answer.status}`);
  if (stackTrace.test(answer.text)) problems.push('a stack trace in the answer');
  let body: { data?: unknown; errors?: GraphQLErrorJson[] };
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [...problems, `not JSON: ${JSON.stringify(answer.text.slice(0, 200))}`];
  }
  if (typeof body !== 'object' || body === null || (!('data' in body) && !Array.isArray(body.errors))) {
    return [...problems, `not a GraphQL answer: ${answer.text.slice(0, 200)}`];
  }
  return [...problems, ...errorProblems(body.errors)];
}

/** The `extensions.code` of every error in an HTTP answer (empty when it is not JSON). */
export function httpCodes(answer: HttpAnswer): string[] {
  try {
    const body = JSON.parse(answer.text) as { errors?: GraphQLErrorJson[] };
    return (body.errors ?? []).map((e) => String(e.extensions?.code));
  } catch {
    return [];
  }
}
