// What the data-plane fuzzer sends: a request described compactly (so a counterexample reads well and shrinks),
// rendered to raw bytes only when sent.
import fc from 'fast-check';
import {
  anyJson,
  anyText,
  type DeepJson,
  deepJson,
  deepJsonText,
  edgeLengthText,
  mostly,
  oddText,
  wrongType,
} from './odd-values.ts';
import type { RawRequest } from './raw-http.ts';

export const chatPath = '/v1/chat/completions';

/** The fuzzed data plane's MAX_BODY_BYTES: small, so that bodies around it are cheap to generate. */
export const maxBodyBytes = 256 * 1024;

/** The secrets of the stack's keys, by state. */
export interface KeySecrets {
  valid: { secret: string };
  restricted: { secret: string };
  revoked: { secret: string };
}

export type Auth =
  | 'valid'
  | 'valid-x-api-key'
  | 'restricted'
  | 'revoked'
  | 'unknown'
  | 'none'
  /** Any value in the authorization header, e.g. another scheme or unicode. */
  | { authorization: string };

export type Body =
  | { kind: 'json'; value: unknown }
  /** A chat request with `deep` JSON under `at`. */
  | { kind: 'deep'; at: 'extra' | 'message' | 'model' | 'messages' | 'body'; deep: DeepJson }
  /** Valid JSON text cut after `at` characters. */
  | { kind: 'cut'; value: unknown; at: number }
  | { kind: 'text'; text: string }
  /** Raw bytes, given as hex (invalid UTF-8, BOMs, UTF-16). */
  | { kind: 'bytes'; hex: string }
  /** A chat request whose one message is `bytes` long: near and over MAX_BODY_BYTES. */
  | { kind: 'big'; bytes: number };

export interface DataPlaneInput {
  method: string;
  path: string;
  auth: Auth;
  contentType: string | null;
  headers: [string, string][];
  body: Body;
  chunked: boolean;
}

const roles = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

/** Configured names most of the time, so that requests reach the provider; any text otherwise. */
const model = fc.oneof(
  { weight: 6, arbitrary: fc.constant('gpt-fixture') },
  { weight: 1, arbitrary: fc.constant('gpt-other') },
  { weight: 3, arbitrary: oddText() },
  { weight: 1, arbitrary: oddText().map((s) => `gpt-fixture${s}`) },
  { weight: 1, arbitrary: edgeLengthText },
  { weight: 1, arbitrary: wrongType },
);

const contentPart = fc.oneof(
  fc.record({ type: fc.constant('text'), text: mostly(anyText) }),
  fc.record({ type: fc.constant('image_url'), image_url: fc.record({ url: oddText() }) }),
  fc.record({ type: mostly(oddText(8)) }, { requiredKeys: [] }),
  anyJson,
);

const content = fc.oneof(
  { weight: 6, arbitrary: anyText },
  { weight: 2, arbitrary: fc.array(contentPart, { maxLength: 3 }) },
  { weight: 1, arbitrary: wrongType },
);

const message = fc.record(
  {
    role: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...roles) }, { weight: 1, arbitrary: mostly(oddText(10)) }),
    content,
    name: oddText(),
    tool_calls: anyJson,
    tool_call_id: oddText(),
  },
  { requiredKeys: ['role', 'content'] },
);

const messages = fc.oneof(
  { weight: 8, arbitrary: fc.array(message, { minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(anyJson, { maxLength: 3 }) },
  { weight: 1, arbitrary: wrongType },
);

const number = fc.oneof(
  fc.double({ noNaN: true }),
  fc.integer({ min: -3, max: 300 }),
  fc.constantFrom(0, -0, 1, 2, 128, 129, 1e-320, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2),
);

/** A chat-completions body: the usual fields, each sometimes of the wrong type, plus odd extra keys. */
const chatBody = fc
  .record(
    {
      model,
      messages,
      stream: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: wrongType }),
      stream_options: mostly(fc.record({ include_usage: mostly(fc.boolean()) }, { requiredKeys: [] })),
      temperature: mostly(number),
      top_p: mostly(number),
      n: mostly(number),
      max_tokens: mostly(number),
      max_completion_tokens: mostly(number),
      seed: mostly(number),
      stop: mostly(fc.oneof(oddText(), fc.array(oddText(), { maxLength: 5 }))),
      user: mostly(oddText()),
      logprobs: mostly(fc.boolean()),
      tools: mostly(fc.array(anyJson, { maxLength: 2 })),
      response_format: mostly(fc.record({ type: mostly(oddText(12)) }, { requiredKeys: [] })),
      metadata: anyJson,
      extra: fc.dictionary(fc.oneof(oddText(12), fc.constantFrom('__proto__', 'constructor', 'prototype')), anyJson, {
        maxKeys: 3,
      }),
    },
    { requiredKeys: ['model', 'messages'] },
  )
  .map(({ extra, ...fields }) => {
    const body: Record<string, unknown> = {};
    // defineProperty: `__proto__` must become a key of the JSON, not the object's prototype.
    for (const [k, v] of Object.entries({ ...(extra ?? {}), ...fields })) {
      Object.defineProperty(body, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return body;
  });

const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 14, arbitrary: chatBody.map((value) => ({ kind: 'json' as const, value })) },
  { weight: 2, arbitrary: anyJson.map((value) => ({ kind: 'json' as const, value })) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      at: fc.constantFrom('extra' as const, 'message' as const, 'model' as const, 'messages' as const, 'body' as const),
      deep: deepJson,
    }),
  },
  {
    weight: 1,
    arbitrary: chatBody.chain((value) =>
      fc.record({
        kind: fc.constant('cut' as const),
        value: fc.constant(value),
        at: fc.nat({ max: JSON.stringify(value).length }),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(oddText(), fc.constantFrom('', 'null', '{}', '[]', '"x"', '1e400', '{"model":1e999}', '\ufeff{}'))
      .map((text) => ({ kind: 'text' as const, text })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom(
          Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
          Uint8Array.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
          Uint8Array.from([0x7b, 0x22, 0x6d, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
          Uint8Array.from([0x7b, 0x22, 0x6d, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
        ),
      )
      .map((bytes) => ({ kind: 'bytes' as const, hex: Buffer.from(bytes).toString('hex') })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 200 * 1024, max: 300 * 1024 }).map((bytes) => ({ kind: 'big' as const, bytes })),
  },
);

const headerValue = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) },
  // CR and LF would start a new header line (header injection of our own making), never a single odd value.
  { weight: 2, arbitrary: oddText().map((s) => s.replace(/[\r\n]/g, '')) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(20_000), ' ', '\u0000', '\t') },
);

const tokenName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const headerName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'x-gateway-module',
      'authorization',
      'x-api-key',
      'accept',
      'accept-encoding',
      'content-encoding',
      'content-type',
      'expect',
      'x-request-id',
      'x-forwarded-for',
      'origin',
      'cookie',
      'connection',
      'upgrade',
      'transfer-encoding',
      'content-length',
    ),
  },
  { weight: 2, arbitrary: tokenName },
  { weight: 1, arbitrary: oddText(12).map((s) => s.replace(/[\r\n:]/g, '')) },
);

const auth: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 10, arbitrary: fc.constant('valid' as const) },
  { weight: 2, arbitrary: fc.constant('valid-x-api-key' as const) },
  { weight: 2, arbitrary: fc.constant('restricted' as const) },
  { weight: 1, arbitrary: fc.constant('revoked' as const) },
  { weight: 1, arbitrary: fc.constant('unknown' as const) },
  { weight: 1, arbitrary: fc.constant('none' as const) },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.constantFrom('Bearer', 'Bearer ', 'bearer  ', 'Basic dXNlcjpwYXNz', 'Bearer sk-gw-', 'Token abc'),
        headerValue,
        headerValue.map((v) => `Bearer ${v}`),
      )
      .map((authorization) => ({ authorization })),
  },
);

const path = fc.oneof(
  { weight: 20, arbitrary: fc.constant(chatPath) },
  { weight: 3, arbitrary: fc.constant('/v1/models') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '/v1/chat/completions?stream=true',
      '/v1/chat/completions/',
      '//v1/chat/completions',
      '/v1/chat/./completions',
      '/v1/chat/completions%00',
      '/V1/CHAT/COMPLETIONS',
      '/v1/models/gpt-fixture',
      '/v1/embeddings',
      '/healthz',
      '/readyz',
      '/metrics',
      '/v1/%ZZ',
      '/%2e%2e/%2e%2e/etc/passwd',
      '*',
      'http://127.0.0.1/v1/chat/completions',
    ),
  },
  { weight: 1, arbitrary: fc.webPath() },
  {
    weight: 1,
    arbitrary: oddText().map((s) => `/v1/${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))}`),
  },
);

const method = fc.oneof(
  { weight: 20, arbitrary: fc.constant('POST') },
  { weight: 3, arbitrary: fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH') },
  { weight: 1, arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'post', 'FOO') },
);

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=utf-16',
      'application/vnd.api+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '*/*',
      '',
    ),
  },
  { weight: 1, arbitrary: headerValue },
);

export const dataPlaneInput: fc.Arbitrary<DataPlaneInput> = fc.record({
  method,
  path,
  auth,
  contentType,
  headers: fc.oneof(
    { weight: 3, arbitrary: fc.constant([] as [string, string][]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(headerName, headerValue), { maxLength: 3 }) },
  ),
  body,
  chunked: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

function chatWith(at: 'extra' | 'message' | 'model' | 'messages', deep: string): string {
  const msg = '{"role":"user","content":"hi"}';
  if (at === 'model') return `{"model":${deep},"messages":[${msg}]}`;
  if (at === 'messages') return `{"model":"gpt-fixture","messages":${deep}}`;
  if (at === 'message')
    return `{"model":"gpt-fixture","messages":[{"role":"user","content":[{"type":"text","text":"hi","x":${deep}}]}]}`;
  return `{"model":"gpt-fixture","messages":[${msg}],"metadata":${deep}}`;
}

export function bodyBytes(b: Body): Buffer {
  switch (b.kind) {
    case 'json':
      return Buffer.from(JSON.stringify(b.value) ?? 'null', 'utf8');
    case 'deep': {
      const deep = deepJsonText(b.deep);
      return Buffer.from(b.at === 'body' ? deep : chatWith(b.at, deep), 'utf8');
    }
    case 'cut':
      return Buffer.from((JSON.stringify(b.value) ?? '').slice(0, b.at), 'utf8');
    case 'text':
      return Buffer.from(b.text, 'utf8');
    case 'bytes':
      return Buffer.from(b.hex, 'hex');
    case 'big':
      return Buffer.from(
        JSON.stringify({ model: 'gpt-fixture', messages: [{ role: 'user', content: 'w '.repeat(b.bytes / 2) }] }),
        'utf8',
      );
  }
}

const secretOf = (keys: KeySecrets, auth: Auth): string | null => {
  if (auth === 'valid' || auth === 'valid-x-api-key') return keys.valid.secret;
  if (auth === 'restricted') return keys.restricted.secret;
  if (auth === 'revoked') return keys.revoked.secret;
  if (auth === 'unknown') return `sk-gw-${'0'.repeat(40)}`;
  return null;
};

export function toRawRequest(input: DataPlaneInput, keys: KeySecrets): RawRequest {
  const headers: [string, string][] = [];
  const secret = secretOf(keys, input.auth);
  if (typeof input.auth === 'object') headers.push(['authorization', input.auth.authorization]);
  else if (input.auth === 'valid-x-api-key') headers.push(['x-api-key', secret as string]);
  else if (secret) headers.push(['authorization', `Bearer ${secret}`]);
  if (input.contentType !== null) headers.push(['content-type', input.contentType]);
  headers.push(...input.headers);
  return { method: input.method, target: input.path, headers, body: bodyBytes(input.body), chunked: input.chunked };
}
