// Module attribution end to end with the official openai client: a key bound to a module and the x-gateway-module
// header put the module's id in usage_records; unknown, not enabled, mismatching and suspended modules and a module's
// model restriction are refused with the contract's codes on both data planes.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createModule } from '../harness/seed.ts';
import { waitFor } from '../harness/wait.ts';
import { expectSdkError } from './openai-errors.ts';
import { type Stack, startStack } from './stack.ts';
import { reachedWithin, untilServed } from './tenancy.ts';

let stack: Stack;
let chat: string;
let docs: string;

beforeAll(async () => {
  stack = await startStack({
    name: 'modules',
    models: [
      { name: 'gpt-fixture', upstreamModel: 'fixture-model', inputPricePerMTok: 1, outputPricePerMTok: 2 },
      { name: 'gpt-other', upstreamModel: 'fixture-other' },
    ],
  });
  const { org } = stack.seeded;
  chat = await createModule(stack.admin, { key: 'chat', name: 'Chat', orgId: org.id });
  docs = await createModule(stack.admin, { key: 'document-analysis', orgId: org.id, allowedModels: ['gpt-fixture'] });
  // Enabled for another org only.
  const { createOrganization } = await stack.admin<{ createOrganization: { id: string } }>(
    'mutation { createOrganization(input: { name: "Elsewhere" }) { id } }',
  );
  await createModule(stack.admin, { key: 'elsewhere', orgId: createOrganization.id });
});
afterAll(() => stack?.teardown.run());

const messages = [{ role: 'user' as const, content: 'hello' }];

/** module_id of each usage record, by request id, once all have arrived. */
async function moduleOf(requestIds: string[]): Promise<Record<string, string | null>> {
  return waitFor(`${requestIds.length} usage records`, async () => {
    const { rows } = await stack.db.pool.query<{ request_id: string; module_id: string | null }>(
      'select request_id, module_id from usage_records where request_id = any($1::text[])',
      [requestIds],
    );
    return rows.length === requestIds.length
      ? Object.fromEntries(rows.map((r) => [r.request_id, r.module_id]))
      : undefined;
  });
}

describe('module attribution', () => {
  it('attributes requests to the key binding or the x-gateway-module header, on both data planes', async () => {
    const { org, team } = stack.seeded;
    const bound = await createKey(stack.admin, { orgId: org.id, teamId: team.id, moduleId: chat, name: 'chat-app' });
    await untilServed(stack.dps, bound.secret);
    const expected: Record<string, string | null> = {};
    for (const dp of stack.dps) {
      const byKey = await stack
        .client(dp, bound.secret)
        .chat.completions.create({ model: 'gpt-fixture', messages })
        .withResponse();
      expected[byKey.request_id as string] = chat;
      const viaHeader = new OpenAI({
        apiKey: stack.seeded.key.secret,
        baseURL: dp.baseURL,
        maxRetries: 0,
        defaultHeaders: { 'x-gateway-module': 'document-analysis' },
      });
      const byHeader = await viaHeader.chat.completions.create({ model: 'gpt-fixture', messages }).withResponse();
      expected[byHeader.request_id as string] = docs;
      const streamed = await viaHeader.chat.completions
        .create({ model: 'gpt-fixture', messages, stream: true, stream_options: { include_usage: true } })
        .withResponse();
      for await (const _chunk of streamed.data) {
        // drain the stream
      }
      expected[streamed.request_id as string] = docs;
      // The bound key may name its own module.
      const repeated = await stack
        .client(dp, bound.secret)
        .chat.completions.create({ model: 'gpt-fixture', messages }, { headers: { 'x-gateway-module': 'chat' } })
        .withResponse();
      expected[repeated.request_id as string] = chat;
      const none = await stack.client(dp).chat.completions.create({ model: 'gpt-fixture', messages }).withResponse();
      expected[none.request_id as string] = null;
    }
    expect(await moduleOf(Object.keys(expected))).toEqual(expected);
  });

  it('refuses unknown, not enabled, mismatching modules and models outside the module restriction', async () => {
    const { org, team } = stack.seeded;
    const bound = await createKey(stack.admin, { orgId: org.id, teamId: team.id, moduleId: chat, name: 'bound' });
    await untilServed(stack.dps, bound.secret);
    for (const dp of stack.dps) {
      const client = (module: string, secret = stack.seeded.key.secret) =>
        new OpenAI({
          apiKey: secret,
          baseURL: dp.baseURL,
          maxRetries: 0,
          defaultHeaders: { 'x-gateway-module': module },
        });
      for (const module of ['no-such-module', 'elsewhere']) {
        await expectSdkError(
          client(module).chat.completions.create({ model: 'gpt-fixture', messages }),
          OpenAI.PermissionDeniedError,
          'policy_module_not_enabled',
        );
      }
      await expectSdkError(
        client('document-analysis', bound.secret).chat.completions.create({ model: 'gpt-fixture', messages }),
        OpenAI.PermissionDeniedError,
        'policy_module_mismatch',
      );
      await expectSdkError(
        client('document-analysis').chat.completions.create({ model: 'gpt-other', messages }),
        OpenAI.PermissionDeniedError,
        'policy_model_not_allowed',
      );
      const models = await client('document-analysis').models.list();
      expect(models.data.map((m) => m.id)).toEqual(['gpt-fixture']);
    }
  });

  it('stops a suspended module everywhere within 1000 ms, and a disabled one for its org', async () => {
    const { org, team } = stack.seeded;
    const bound = await createKey(stack.admin, { orgId: org.id, teamId: team.id, moduleId: chat, name: 'to-suspend' });
    await untilServed(stack.dps, bound.secret);
    const t0 = performance.now();
    await stack.admin('mutation ($id: ID!) { suspendModule(id: $id) { status } }', { id: chat });
    for (const [secret, module] of [
      [bound.secret, undefined],
      [stack.seeded.key.secret, 'chat'],
    ] as const) {
      const elapsed = await reachedWithin(stack.dps, secret, { status: 403, code: 'policy_module_suspended' }, t0, {
        module,
      });
      console.log(`module suspended: ${elapsed.map((ms) => `${ms.toFixed(0)} ms`).join(', ')}`);
      for (const ms of elapsed) expect(ms).toBeLessThan(1_000);
    }
    await expectSdkError(
      stack.client(stack.dps[1], bound.secret).chat.completions.create({ model: 'gpt-fixture', messages }),
      OpenAI.PermissionDeniedError,
      'policy_module_suspended',
    );
    await stack.admin('mutation ($id: ID!) { reactivateModule(id: $id) { status } }', { id: chat });
    await untilServed(stack.dps, bound.secret);

    const t1 = performance.now();
    await stack.admin('mutation ($o: ID!, $m: ID!) { disableModule(orgId: $o, moduleId: $m) }', { o: org.id, m: chat });
    const disabled = await reachedWithin(
      stack.dps,
      bound.secret,
      { status: 403, code: 'policy_module_not_enabled' },
      t1,
    );
    for (const ms of disabled) expect(ms).toBeLessThan(1_000);
    // Usage keeps naming the module by id after it is gone.
    const { rows } = await stack.db.pool.query('select count(*)::int as n from usage_records where module_id = $1', [
      chat,
    ]);
    expect(rows[0].n).toBeGreaterThan(0);
  });
});
