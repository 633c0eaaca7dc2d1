// Every data-plane error case, answered in the OpenAI error shape and surfaced by the openai SDK as the right class.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../harness/ports.ts';
import { createKey, createModel, revokeKey } from '../harness/seed.ts';
import { sleep, waitFor } from '../harness/wait.ts';
import { expectOpenAIError, expectSdkError } from './openai-errors.ts';
import { type Stack, startStack } from './stack.ts';
import { waitForUsage } from './usage.ts';

const upstreamTimeoutMs = 500;
const maxBodyBytes = 65_536;
let stack: Stack;
let url: string;
let client: OpenAI;

beforeAll(async () => {
  stack = await startStack({
    name: 'errors',
    dataPlanes: 1,
    dataPlaneEnv: { UPSTREAM_TIMEOUT_MS: String(upstreamTimeoutMs), MAX_BODY_BYTES: String(maxBodyBytes) },
    models: [
      { name: 'gpt-fixture', upstreamModel: 'fixture-model' },
      { name: 'gpt-other', upstreamModel: 'fixture-model-mini' },
      { name: 'broken', upstreamModel: 'fixture-model@status=500' },
      { name: 'refused', upstreamModel: 'fixture-model@status=401' },
      { name: 'missing-upstream', upstreamModel: 'fixture-model@status=404' },
      { name: 'throttled', upstreamModel: 'fixture-model@status=429' },
      { name: 'slow', upstreamModel: 'fixture-model@latency=3000' },
      { name: 'hangs', upstreamModel: 'fixture-model@hang' },
      { name: 'dropper', upstreamModel: 'fixture-model@chunks=10,chunkDelay=20,dropMidStream=4' },
    ],
  });
  url = stack.dps[0].url;
  client = stack.client(stack.dps[0]);
});
afterAll(() => stack?.teardown.run());

const messages = [{ role: 'user' as const, content: 'hi' }];
const post = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.seeded.key.secret}`, ...headers },
    body,
  });
const chatBody = (model = 'gpt-fixture') => JSON.stringify({ model, messages });

/** Polls until the data plane applied the latest config change (a key/model created after boot). */
async function untilAccepted(apiKey: string, model = 'gpt-fixture'): Promise<void> {
  await waitFor(
    'the data plane to accept the new key',
    async () => (await post(chatBody(model), { authorization: `Bearer ${apiKey}` })).status === 200,
    { timeoutMs: 5_000 },
  );
}

describe('401 authentication errors', () => {
  it('missing key', async () => {
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chatBody(),
    });
    await expectOpenAIError(res, 'caller_missing_api_key');
  });

  it('unknown key', async () => {
    const unknown = `sk-gw-${'x'.repeat(40)}`;
    await expectOpenAIError(await post(chatBody(), { authorization: `Bearer ${unknown}` }), 'caller_invalid_api_key');
    await expectSdkError(
      stack.client(stack.dps[0], unknown).chat.completions.create({ model: 'gpt-fixture', messages }),
      OpenAI.AuthenticationError,
      'caller_invalid_api_key',
    );
  });

  it('revoked key (removed from the snapshot, so it reads as unknown or revoked)', async () => {
    const key = await createKey(stack.admin, {
      orgId: stack.seeded.org.id,
      teamId: stack.seeded.team.id,
      name: 'to-revoke',
    });
    await untilAccepted(key.secret);
    await revokeKey(stack.admin, key.id);
    const res = await waitFor(
      'the revoked key to be refused',
      async () => {
        const r = await post(chatBody(), { authorization: `Bearer ${key.secret}` });
        return r.status === 401 ? r : undefined;
      },
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    const body = (await res.clone().json()) as { error: { code: string } };
    expect(['caller_key_revoked', 'caller_invalid_api_key']).toContain(body.error.code);
    await expectOpenAIError(res, body.error.code as 'caller_key_revoked');
    await expect(
      stack.client(stack.dps[0], key.secret).chat.completions.create({ model: 'gpt-fixture', messages }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('expired key', async () => {
    const expiresAt = new Date(Date.now() + 2_500).toISOString();
    const key = await createKey(stack.admin, {
      orgId: stack.seeded.org.id,
      teamId: stack.seeded.team.id,
      name: 'short-lived',
      expiresAt,
    });
    await untilAccepted(key.secret);
    await sleep(Math.max(0, Date.parse(expiresAt) - Date.now() + 50));
    await expectOpenAIError(await post(chatBody(), { authorization: `Bearer ${key.secret}` }), 'caller_key_expired');
    await expectSdkError(
      stack.client(stack.dps[0], key.secret).chat.completions.create({ model: 'gpt-fixture', messages }),
      OpenAI.AuthenticationError,
      'caller_key_expired',
    );
  });
});

describe('403/404 model policy', () => {
  it('403 when the key may not use the model', async () => {
    const key = await createKey(stack.admin, {
      orgId: stack.seeded.org.id,
      teamId: stack.seeded.team.id,
      name: 'only-fixture',
      allowedModels: ['gpt-fixture'],
    });
    await untilAccepted(key.secret);
    const restricted = stack.client(stack.dps[0], key.secret);
    await expectSdkError(
      restricted.chat.completions.create({ model: 'gpt-other', messages }),
      OpenAI.PermissionDeniedError,
      'policy_model_not_allowed',
    );
    await expectOpenAIError(
      await post(chatBody('gpt-other'), { authorization: `Bearer ${key.secret}` }),
      'policy_model_not_allowed',
    );
  });

  it('404 for a model nobody configured', async () => {
    await expectOpenAIError(await post(chatBody('no-such-model')), 'caller_model_not_found');
    await expectSdkError(
      client.chat.completions.create({ model: 'no-such-model', messages }),
      OpenAI.NotFoundError,
      'caller_model_not_found',
    );
  });
});

describe('400/413/415 bad requests', () => {
  it('malformed JSON', async () => {
    await expectOpenAIError(await post('{"model": "gpt-fixture", "messages": ['), 'caller_invalid_json');
  });

  it('missing or mistyped fields', async () => {
    await expectOpenAIError(await post(JSON.stringify({ model: 'gpt-fixture' })), 'caller_invalid_request');
    await expectOpenAIError(await post(JSON.stringify({ messages })), 'caller_invalid_request');
    await expectOpenAIError(await post('[1,2]'), 'caller_invalid_request');
    await expectSdkError(
      client.chat.completions.create({
        model: 'gpt-fixture',
      } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming),
      OpenAI.BadRequestError,
      'caller_invalid_request',
    );
    await expectSdkError(
      client.chat.completions.create({ model: 'gpt-fixture', messages, stream: 'yes' as unknown as false }),
      OpenAI.BadRequestError,
      'caller_invalid_request',
    );
  });

  it('413 for a body over MAX_BODY_BYTES', async () => {
    const big = 'word '.repeat(maxBodyBytes / 4);
    await expectOpenAIError(
      await post(JSON.stringify({ model: 'gpt-fixture', messages: [{ role: 'user', content: big }] })),
      'caller_body_too_large',
    );
    const err = await client.chat.completions
      .create({ model: 'gpt-fixture', messages: [{ role: 'user', content: big }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err).toMatchObject({ status: 413, code: 'caller_body_too_large' });
    // A body just under the limit still goes through.
    const words = Math.floor((maxBodyBytes - 200) / 5);
    const fits = 'word '.repeat(words);
    const ok = await client.chat.completions.create({
      model: 'gpt-fixture',
      messages: [{ role: 'user', content: fits }],
    });
    expect(ok.usage?.prompt_tokens).toBe(words);
  });

  it('400 for bodies the gateway could not safely pass on, with no error-level log line', async () => {
    const fields = `"model":"gpt-fixture","messages":${JSON.stringify(messages)}`;
    // JSON.stringify, which re-serialises the body for the provider, overflowed the stack on this (500 + stack trace).
    await expectOpenAIError(
      await post(`{${fields},"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`),
      'caller_invalid_request',
    );
    await expectOpenAIError(await post(`{${fields},"x":1e999}`), 'caller_invalid_request');
    const notUtf8 = new Uint8Array(
      Buffer.concat([Buffer.from(`{${fields},"x":"`), Buffer.from([0xc0, 0xff, 0x22, 0x7d])]),
    );
    await expectOpenAIError(await post(notUtf8), 'caller_invalid_json');
    expect(stack.dps[0].process.output().filter((line) => line.includes('"level":50'))).toEqual([]);
  });

  it('415 for a body that is not JSON', async () => {
    await expectOpenAIError(await post(chatBody(), { 'content-type': 'text/plain' }), 'caller_unsupported_media_type');
  });
});

describe('502/504 provider failures', () => {
  it('502 when the provider answers 5xx', async () => {
    const before = (await stack.fixture.stats()).byModel['fixture-model@status=500'] ?? 0;
    await expectOpenAIError(await post(chatBody('broken')), 'provider_error');
    await expectSdkError(
      client.chat.completions.create({ model: 'broken', messages }),
      OpenAI.InternalServerError,
      'provider_error',
    );
    expect((await stack.fixture.stats()).byModel['fixture-model@status=500']).toBeGreaterThan(before);
  });

  it('502 without retry when the provider refuses the gateway credential or does not know the model', async () => {
    await expectOpenAIError(await post(chatBody('refused')), 'provider_auth_failed');
    await expectOpenAIError(await post(chatBody('missing-upstream')), 'provider_model_not_found');
    // The SDK honours x-should-retry: false, so even with retries on it asks the provider only once.
    const before = (await stack.fixture.stats()).byModel['fixture-model@status=401'] ?? 0;
    const retrying = new OpenAI({ apiKey: stack.seeded.key.secret, baseURL: stack.dps[0].baseURL, maxRetries: 2 });
    await expectSdkError(
      retrying.chat.completions.create({ model: 'refused', messages }),
      OpenAI.InternalServerError,
      'provider_auth_failed',
    );
    expect((await stack.fixture.stats()).byModel['fixture-model@status=401']).toBe(before + 1);
  });

  it('429 when the provider rate-limits', async () => {
    await expectSdkError(
      client.chat.completions.create({ model: 'throttled', messages }),
      OpenAI.RateLimitError,
      'provider_rate_limited',
    );
  });

  it('502 when the provider cannot be reached', async () => {
    const { createProviderCredential } = await stack.admin<{ createProviderCredential: { id: string } }>(
      'mutation ($input: CreateProviderCredentialInput!) { createProviderCredential(input: $input) { id } }',
      {
        input: {
          name: 'nowhere',
          provider: 'OPENAI',
          baseUrl: `http://127.0.0.1:${await freePort()}/v1`,
          apiKey: 'sk-nowhere',
        },
      },
    );
    await createModel(stack.admin, createProviderCredential.id, { name: 'unreachable', upstreamModel: 'x' });
    const res = await waitFor(
      'the new model to reach the data plane',
      async () => {
        const r = await post(chatBody('unreachable'));
        return r.status === 404 ? undefined : r;
      },
      { timeoutMs: 5_000 },
    );
    await expectOpenAIError(res, 'provider_unreachable');
  });

  it.each([
    ['slow', 'latency past UPSTREAM_TIMEOUT_MS'],
    ['hangs', 'a provider that never answers'],
  ])('504 for %s (%s)', async (model) => {
    const t0 = performance.now();
    await expectSdkError(
      client.chat.completions.create({ model, messages }),
      OpenAI.InternalServerError,
      'provider_timeout',
    );
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(upstreamTimeoutMs - 50);
    expect(took).toBeLessThan(upstreamTimeoutMs + 2_000);
  });

  it('a stream the provider drops midway ends with an OpenAI error event', async () => {
    const { data: stream, request_id } = await client.chat.completions
      .create({ model: 'dropper', messages, stream: true })
      .withResponse();
    const contents: string[] = [];
    const err = await (async () => {
      for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content ?? '');
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      code: 'provider_error',
      type: 'api_error',
    });
    expect(contents.length).toBeGreaterThanOrEqual(1);
    expect(contents.length).toBeLessThan(10);
    const [row] = await waitForUsage(stack.db, [request_id!]);
    expect(row).toMatchObject({ status: 502, error_code: 'provider_error', stream: true });
  });
});

describe('routing', () => {
  it('404 for an unknown route, 405 for a wrong method', async () => {
    const auth = { authorization: `Bearer ${stack.seeded.key.secret}` };
    await expectOpenAIError(await fetch(`${url}/v1/nope`, { headers: auth }), 'caller_route_not_found');
    await expectOpenAIError(await fetch(`${url}/v1/chat/completions`, { headers: auth }), 'caller_method_not_allowed');
    const err = await client.get('/nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err).toMatchObject({ code: 'caller_route_not_found' });
  });
});

describe('error usage', () => {
  it('records refused and failed calls that had a known key', async () => {
    const res = await post(chatBody('broken'));
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    await res.arrayBuffer();
    const [row] = await waitForUsage(stack.db, [requestId!]);
    expect(row).toMatchObject({
      key_id: stack.seeded.key.id,
      model: 'broken',
      status: 502,
      error_code: 'provider_error',
    });
  });
});
