// The app against a real local upstream: happy paths (JSON and SSE), every error case, metering, metrics.
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorCodes, snapshotHash } from '@gw/schema';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { maxJsonDepth } from './http/json-body.ts';
import { silentLogger } from './logger.ts';
import { bootFromDisk, SnapshotFile } from './snapshot/persist.ts';
import { expectError } from './test-support/expect-error.ts';
import { closedPortUrl, type FakeUpstream, startFakeUpstream } from './test-support/fake-upstream.ts';
import { startGateway, type TestGateway } from './test-support/gateway.ts';
import { providerApiKey, sampleSnapshot, secrets, storeOf } from './test-support/snapshots.ts';
import { TokenCounter } from './usage/token-count.ts';

let upstream: FakeUpstream;
let gw: TestGateway;

const messages = [{ role: 'user', content: 'hello there' }];
const tokens = (text: string) => new TokenCounter('gpt-4o').count(text);

function post(
  body: unknown,
  headers: Record<string, string> = {},
  key: string | null = secrets.good,
): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  gw = await startGateway(sampleSnapshot(upstream.url), { upstreamTimeoutMs: 400 });
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
});

afterEach(() => {
  // Every failure must have gone through a handled path: nothing may reach the central handler unhandled, and
  // nothing a caller can send may produce an error-level log line.
  const errorLogs = gw.errorLogs();
  gw.logs.length = 0;
  expect(gw.unhandled).toEqual([]);
  expect(errorLogs).toEqual([]);
});

/** Usage records are written when the response (or stream) finished; give the event loop a turn. */
async function lastUsage() {
  await new Promise((r) => setTimeout(r, 20));
  return gw.usage.at(-1)!;
}

describe('chat completions (JSON)', () => {
  it('relays the provider answer, rewrites the model, sends the provider key and meters the request', async () => {
    const before = upstream.requests.length;
    const res = await post({ model: 'gpt-test', messages, temperature: 0.5 });
    expect(res.status).toBe(200);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as { choices: { message: { content: string } }[]; usage: unknown };
    expect(body.choices[0].message.content).toBe('Hello from the fake provider');

    const seen = upstream.requests[before];
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.body).toEqual({ model: 'upstream-test', messages, temperature: 0.5 });
    expect(seen.headers.authorization).toBe(`Bearer ${providerApiKey}`);

    const record = await lastUsage();
    expect(record).toMatchObject({
      requestId,
      nodeId: 'test-node',
      orgId: 'org-1',
      teamId: 'team-1',
      userId: 'user-1',
      keyId: 'key-good',
      model: 'gpt-test',
      provider: 'openai',
      upstreamModel: 'upstream-test',
      inputTokens: 2,
      outputTokens: 5,
      cachedInputTokens: 0,
      status: 200,
      errorCode: null,
      stream: false,
    });
    expect(record.costUsd).toBeCloseTo((2 * 1 + 5 * 2) / 1e6, 12);
    expect(record.overheadMs).toBeLessThanOrEqual(record.latencyMs);
  });

  it('accepts the key in x-api-key', async () => {
    const res = await post({ model: 'gpt-test', messages }, { 'x-api-key': secrets.good }, null);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });

  it('gives every request its own id', async () => {
    const [a, b] = await Promise.all([post({ model: 'gpt-test', messages }), post({ model: 'gpt-test', messages })]);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    await Promise.all([a.arrayBuffer(), b.arrayBuffer()]);
  });
});

describe('chat completions (SSE)', () => {
  it('streams chunks, strips the usage chunk the caller did not ask for, and still meters tokens', async () => {
    const before = upstream.requests.length;
    const res = await post({ model: 'gpt-test', messages, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text).toContain('"content":"w0 "');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(text).not.toContain('"usage":{');
    expect(upstream.requests[before].body.stream_options).toEqual({ include_usage: true });
    const record = await lastUsage();
    expect(record).toMatchObject({ stream: true, status: 200, inputTokens: 2, outputTokens: 5, errorCode: null });
    expect(record.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('keeps the usage chunk when the caller asked for it', async () => {
    const res = await post({ model: 'gpt-test', messages, stream: true, stream_options: { include_usage: true } });
    const text = await res.text();
    expect(text).toContain('"usage":{"prompt_tokens":2');
    expect((await lastUsage()).outputTokens).toBe(5);
  });

  it('ends a stream that breaks midway with one error event in the standard shape', async () => {
    const res = await post({ model: 'drop', messages, stream: true });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.length).toBe(3);
    const last = JSON.parse(events[2].replace(/^data: /, '')) as { error: Record<string, unknown> };
    expect(last).toEqual({
      error: { message: expect.any(String), type: 'api_error', param: null, code: 'provider_error' },
    });
    // Charged for the prompt and the two pieces relayed: the provider sent no usage.
    const relayed = events.slice(0, 2).map((e) => JSON.parse(e.replace(/^data: /, '')).choices[0].delta.content);
    expect(await lastUsage()).toMatchObject({
      status: 502,
      errorCode: 'provider_error',
      stream: true,
      inputTokens: 3 + tokens('user') + tokens('hello there') + 3,
      outputTokens: tokens(relayed.join('')),
      cachedInputTokens: 0,
    });
    expect((await lastUsage()).costUsd).toBeGreaterThan(0);
  });

  it('aborts the provider request when the caller disconnects mid-stream', async () => {
    const controller = new AbortController();
    const aborted = upstream.aborted();
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.good}` },
      body: JSON.stringify({ model: 'slow', messages, stream: true }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await aborted;
    const record = await lastUsage();
    expect(record.status).toBe(499);
    // Charged for the prompt and what was relayed before the caller left (at least the piece it read).
    expect(record.inputTokens).toBe(3 + tokens('user') + tokens('hello there') + 3);
    expect(record.outputTokens).toBeGreaterThanOrEqual(1);
  });
});

describe('caller disconnects', () => {
  it('aborts the provider request when the caller disconnects before the answer', async () => {
    const controller = new AbortController();
    const aborted = upstream.aborted();
    const pending = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.good}` },
      body: JSON.stringify({ model: 'hang', messages }),
      signal: controller.signal,
    }).catch(() => null);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await pending;
    await aborted;
    expect(await lastUsage()).toMatchObject({ model: 'hang', status: 499, errorCode: null });
  });
});

describe('errors before the provider', () => {
  it('401 without a key, and no usage record for unauthenticated requests', async () => {
    const count = gw.usage.length;
    await expectError(await post({ model: 'gpt-test', messages }, {}, null), 'caller_missing_api_key');
    await expectError(
      await post({ model: 'gpt-test', messages }, { authorization: 'Basic abc' }, null),
      'caller_missing_api_key',
    );
    await expectError(await post({ model: 'gpt-test', messages }, {}, 'sk-gw-unknown'), 'caller_invalid_api_key');
    await new Promise((r) => setTimeout(r, 10));
    expect(gw.usage.length).toBe(count);
  });

  it('401 caller_key_revoked for a key removed by a later snapshot', async () => {
    const current = gw.stores.current!;
    const next = sampleSnapshot(upstream.url);
    delete next.keys['key-good'];
    gw.stores.swap(storeOf(next, current.version + 1, current));
    try {
      await expectError(await post({ model: 'gpt-test', messages }), 'caller_key_revoked');
    } finally {
      gw.stores.swap(storeOf(sampleSnapshot(upstream.url), current.version + 2, gw.stores.current));
    }
  });

  it('401 for an expired key, with a usage record carrying the error', async () => {
    await expectError(await post({ model: 'gpt-test', messages }, {}, secrets.expired), 'caller_key_expired');
    expect(await lastUsage()).toMatchObject({
      keyId: 'key-expired',
      status: 401,
      errorCode: 'caller_key_expired',
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
    });
  });

  it('403 when the org, team or user is suspended', async () => {
    for (const key of [secrets.suspendedOrg, secrets.suspendedTeam, secrets.suspendedUser]) {
      await expectError(await post({ model: 'gpt-test', messages }, {}, key), 'policy_org_suspended');
    }
  });

  it('404 for an unknown model and 403 for a model the key may not use', async () => {
    await expectError(await post({ model: 'nope', messages }), 'caller_model_not_found', 'model');
    expect(await lastUsage()).toMatchObject({ model: 'nope', status: 404, errorCode: 'caller_model_not_found' });
    await expectError(
      await post({ model: 'other-model', messages }, {}, secrets.limited),
      'policy_model_not_allowed',
      'model',
    );
  });

  it('400 for malformed JSON and for invalid fields (with param)', async () => {
    await expectError(await post('{"model": "gpt-test", '), 'caller_invalid_json');
    await expectError(await post(''), 'caller_invalid_json');
    await expectError(await post({ model: 'gpt-test', messages: [] }), 'caller_invalid_request', 'messages');
    await expectError(await post({ messages }), 'caller_invalid_request', 'model');
    await expectError(await post({ model: 'gpt-test', messages, stream: 'true' }), 'caller_invalid_request', 'stream');
    await expectError(
      await post({ model: 'gpt-test', messages: [{ role: 'user' }] }),
      'caller_invalid_request',
      'messages[0].content',
    );
    await expectError(
      await post({ model: 'gpt-test', messages, temperature: 9 }),
      'caller_invalid_request',
      'temperature',
    );
  });

  describe('bodies the gateway could not safely re-serialise', () => {
    const fields = `"model":"gpt-test","messages":${JSON.stringify(messages)}`;
    /** The body object is level 1; `x` adds `levels` nested arrays. */
    const nestedBody = (levels: number) => `{${fields},"x":${'['.repeat(levels)}${']'.repeat(levels)}}`;

    it.each([
      ['arrays', nestedBody(10_000)],
      ['objects', `{${fields},"x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`],
      [
        'arrays in a content part',
        `{"model":"gpt-test","messages":[{"role":"user","content":[{"type":"text","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}]}]}`,
      ],
    ])('400 for %s nested 10,000 levels deep (JSON.stringify would overflow the stack)', async (_, body) => {
      const { message } = await expectError(await post(body), 'caller_invalid_request');
      expect(message).toContain(`more than ${maxJsonDepth} levels deep`);
    });

    it(`accepts ${maxJsonDepth} levels and refuses one more`, async () => {
      const before = upstream.requests.length;
      expect((await post(nestedBody(maxJsonDepth - 1))).status).toBe(200);
      expect(upstream.requests.length).toBe(before + 1);
      await expectError(await post(nestedBody(maxJsonDepth)), 'caller_invalid_request');
    });

    it('400 for a number JSON cannot carry, which would reach the provider as null', async () => {
      const { message } = await expectError(await post(`{${fields},"seed_extra":1e999}`), 'caller_invalid_request');
      expect(message).toContain('too large');
    });

    it('400 for a body that is not UTF-8, and a real U+FFFD passes', async () => {
      const send = (bytes: Buffer) =>
        fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.good}` },
          body: new Uint8Array(bytes),
        });
      const text = (content: Buffer) =>
        Buffer.concat([
          Buffer.from('{"model":"gpt-test","messages":[{"role":"user","content":"'),
          content,
          Buffer.from('"}]}'),
        ]);
      const { message } = await expectError(
        await send(text(Buffer.from([0x61, 0xff, 0xc0, 0x62]))),
        'caller_invalid_json',
      );
      expect(message).toBe('The request body is not valid UTF-8.');
      expect((await send(text(Buffer.from('a\uFFFDb')))).status).toBe(200);
    });
  });

  it('415 for a body that is not JSON by content type', async () => {
    await expectError(
      await post('model=x', { 'content-type': 'application/x-www-form-urlencoded' }),
      'caller_unsupported_media_type',
    );
  });

  it('413 when Content-Length is over the limit', async () => {
    const big = JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] });
    const res = await post(big);
    await expectError(res, 'caller_body_too_large');
  });

  it('413 when a chunked body (no Content-Length) grows over the limit while reading', async () => {
    const { status, body, headers } = await new Promise<{
      status: number;
      body: string;
      headers: Record<string, unknown>;
    }>((resolve, reject) => {
      const u = new URL(`${gw.url}/v1/chat/completions`);
      const req = httpRequest(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: {
            authorization: `Bearer ${secrets.good}`,
            'content-type': 'application/json',
            'transfer-encoding': 'chunked',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: text, headers: res.headers }));
        },
      );
      req.on('error', reject);
      const piece = 'x'.repeat(16 * 1024);
      let sent = 0;
      const write = () => {
        while (sent < 10) {
          sent++;
          if (!req.write(piece)) return void req.once('drain', write);
        }
        req.end();
      };
      write();
    });
    expect(status).toBe(413);
    expect(headers['x-should-retry']).toBe('false');
    expect(JSON.parse(body).error.code).toBe('caller_body_too_large');
  });

  it('404 for unknown routes and 405 for wrong methods', async () => {
    await expectError(await fetch(`${gw.url}/v2/whatever`), 'caller_route_not_found');
    await expectError(await fetch(`${gw.url}/`), 'caller_route_not_found');
    const res = await fetch(`${gw.url}/v1/chat/completions`);
    expect(res.headers.get('allow')).toBe('POST');
    await expectError(res, 'caller_method_not_allowed');
    await expectError(await fetch(`${gw.url}/v1/models`, { method: 'POST' }), 'caller_method_not_allowed');
  });

  it('503 while shutting down', async () => {
    gw.lifecycle.shuttingDown = true;
    try {
      await expectError(await post({ model: 'gpt-test', messages }), 'gateway_shutting_down');
      await expectError(await fetch(`${gw.url}/readyz`), 'gateway_shutting_down');
    } finally {
      gw.lifecycle.shuttingDown = false;
    }
  });
});

describe('provider failures', () => {
  it.each([
    ['fail-500', 'provider_error'],
    ['fail-401', 'provider_auth_failed'],
    ['fail-404', 'provider_model_not_found'],
    ['fail-429', 'provider_rate_limited'],
  ] as const)('%s -> %s', async (model, code) => {
    await expectError(await post({ model, messages }), code);
    expect(await lastUsage()).toMatchObject({ status: errorCodes[code].status, errorCode: code, provider: 'openai' });
  });

  it('400 from the provider passes its message on', async () => {
    const { message } = await expectError(await post({ model: 'fail-400', messages }), 'provider_bad_request');
    expect(message).toBe('upstream says 400');
  });

  it('maps provider errors the same way on streaming requests (nothing was sent yet)', async () => {
    await expectError(await post({ model: 'fail-429', messages, stream: true }), 'provider_rate_limited');
  });

  it('504 when the provider does not answer in time', async () => {
    await expectError(await post({ model: 'hang', messages }), 'provider_timeout');
    expect(await lastUsage()).toMatchObject({ status: 504, errorCode: 'provider_timeout' });
  });

  it('relays a 200 answer that is not JSON, metering zero tokens', async () => {
    const res = await post({ model: 'garbage', messages });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('this is not json');
    expect(await lastUsage()).toMatchObject({ status: 200, inputTokens: 0 });
  });
});

describe('models, health and metrics', () => {
  it('lists only the models the key may use', async () => {
    const all = (await (
      await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${secrets.good}` } })
    ).json()) as {
      object: string;
      data: { id: string; object: string }[];
    };
    expect(all.object).toBe('list');
    expect(all.data.map((m) => m.id)).toContain('gpt-test');
    expect(all.data.length).toBe(Object.keys(sampleSnapshot().models).length);
    const limited = (await (
      await fetch(`${gw.url}/v1/models`, { headers: { 'x-api-key': secrets.limited } })
    ).json()) as {
      data: { id: string; object: string; owned_by: string }[];
    };
    expect(limited.data).toEqual([{ id: 'gpt-test', object: 'model', created: 0, owned_by: 'openai' }]);
    await expectError(await fetch(`${gw.url}/v1/models`), 'caller_missing_api_key');
    await expectError(
      await fetch(`${gw.url}/v1/models`, { headers: { 'x-api-key': secrets.expired } }),
      'caller_key_expired',
    );
  });

  it('answers healthz and readyz with the applied version', async () => {
    expect(await (await fetch(`${gw.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({ status: 'ready', version: expect.any(Number), source: 'control-plane' });
    expect(ready.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('exposes request, token, cost, duration and overhead metrics', async () => {
    await (await post({ model: 'gpt-test', messages })).arrayBuffer();
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(
      /gateway_requests_total\{org="org-1",team="team-1",model="gpt-test",provider="openai",status="200"\} \d+/,
    );
    expect(text).toMatch(/gateway_tokens_total\{[^}]*direction="input"\} \d+/);
    expect(text).toMatch(/gateway_tokens_total\{[^}]*direction="output"\} \d+/);
    expect(text).toContain('gateway_cost_usd_total{');
    expect(text).toContain('gateway_request_duration_seconds_bucket{');
    expect(text).toContain('gateway_overhead_seconds_bucket{');
    // Callers' arbitrary model names never become label values.
    expect(text).not.toContain('model="nope"');
  });
});

describe('gateway states', () => {
  it('503 gateway_not_ready before the first snapshot', async () => {
    const empty = await startGateway(null);
    try {
      await expectError(await fetch(`${empty.url}/readyz`), 'gateway_not_ready');
      await expectError(
        await fetch(`${empty.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secrets.good}` },
        }),
        'gateway_not_ready',
      );
      await expectError(
        await fetch(`${empty.url}/v1/models`, { headers: { authorization: 'Bearer x' } }),
        'gateway_not_ready',
      );
      expect(empty.unhandled).toEqual([]);
    } finally {
      await empty.close();
    }
  });

  it('serves from the snapshot on disk while the control plane is unreachable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dp-boot-'));
    const booted = await startGateway(null);
    try {
      const snapshot = sampleSnapshot(upstream.url);
      await new SnapshotFile(dir, 'tok').save({ version: 4, hash: snapshotHash(snapshot), snapshot });
      expect(await bootFromDisk(new SnapshotFile(dir, 'tok'), booted.stores, silentLogger())).toBe(true);
      expect(await (await fetch(`${booted.url}/readyz`)).json()).toMatchObject({ version: 4, source: 'disk' });
      const res = await fetch(`${booted.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secrets.good}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-test', messages }),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      expect(booted.unhandled).toEqual([]);
    } finally {
      await booted.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('502 provider_unreachable when the provider refuses connections', async () => {
    const dead = await startGateway(sampleSnapshot(await closedPortUrl()));
    try {
      await expectError(
        await fetch(`${dead.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secrets.good}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-test', messages, stream: true }),
        }),
        'provider_unreachable',
      );
      expect(dead.usage.at(-1)).toMatchObject({ status: 502, errorCode: 'provider_unreachable' });
      expect(dead.unhandled).toEqual([]);
    } finally {
      await dead.close();
    }
  });

  it('turns an unexpected exception into 500 gateway_internal_error and reports it as unhandled', async () => {
    const broken = await startGateway(sampleSnapshot(upstream.url));
    Object.defineProperty(broken.stores, 'current', {
      get() {
        throw new Error('boom: secret internals');
      },
    });
    try {
      const { message } = await expectError(
        await fetch(`${broken.url}/v1/chat/completions`, { method: 'POST' }),
        'gateway_internal_error',
      );
      expect(message).not.toContain('boom');
      expect(broken.unhandled).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });
});

describe('in-process (app.fetch, no socket)', () => {
  it('serves the same routes through the web-standard fetch interface', async () => {
    const { createApp } = await import('./app.ts');
    const { app } = createApp({ ...gw.deps, onUnhandledError: (err) => gw.unhandled.push(err) });
    const ok = await app.fetch(
      new Request('http://gw.test/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${secrets.good}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-test', messages, stream: true }),
      }),
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('data: [DONE]');
    await expectError(
      await app.fetch(
        new Request('http://gw.test/v1/chat/completions', {
          method: 'POST',
          // No Content-Length on a web Request: the limit is enforced while counting bytes.
          headers: { authorization: `Bearer ${secrets.good}`, 'content-type': 'application/json' },
          body: 'x'.repeat(70 * 1024),
        }),
      ),
      'caller_body_too_large',
    );
    await expectError(await app.fetch(new Request('http://gw.test/nowhere')), 'caller_route_not_found');
  });
});
