// Module attribution and rotated secrets: pure decisions over a store, then the same rules through the HTTP routes
// (error codes, the usage record's moduleId, GET /v1/models).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../test-support/expect-error.ts';
import { type FakeUpstream, startFakeUpstream } from '../test-support/fake-upstream.ts';
import { startGateway, type TestGateway } from '../test-support/gateway.ts';
import { sampleSnapshot, secrets, storeOf } from '../test-support/snapshots.ts';
import { authenticate } from './authenticate.ts';
import { authorize, authorizeKey } from './authorize.ts';
import { attributeModule } from './module.ts';

const store = storeOf(sampleSnapshot());
const now = Date.parse('2026-01-01T00:00:00Z');

function entryFor(secret: string) {
  const d = authenticate(store, secret);
  if (!d.ok) throw new Error(`no key for ${secret}`);
  return d.entry;
}

describe('attributeModule', () => {
  it('attributes nothing without a binding or header, and the bound module without a header', () => {
    expect(attributeModule(store, entryFor(secrets.good), null)).toEqual({ ok: true, attribution: null });
    expect(attributeModule(store, entryFor(secrets.good), '  ')).toEqual({ ok: true, attribution: null });
    const bound = attributeModule(store, entryFor(secrets.chat), null);
    expect(bound.ok && bound.attribution?.module.id).toBe('mod-chat');
  });

  it('takes a header naming a module enabled for the org; a bound key may repeat its own module', () => {
    const d = attributeModule(store, entryFor(secrets.good), 'document-analysis');
    expect(d.ok && d.attribution?.module.id).toBe('mod-docs');
    expect(d.ok && [...(d.attribution?.allowedModels ?? [])]).toEqual(['gpt-test']);
    const same = attributeModule(store, entryFor(secrets.chat), 'chat');
    expect(same.ok && same.attribution?.module.id).toBe('mod-chat');
  });

  it.each(['no-such-module', 'search', 'elsewhere'])(
    'refuses an unknown or not enabled module (even if another org has it): %s',
    (header) => {
      expect(attributeModule(store, entryFor(secrets.good), header)).toMatchObject({
        ok: false,
        code: 'policy_module_not_enabled',
        param: 'x-gateway-module',
      });
    },
  );

  it('refuses suspended and mismatching modules', () => {
    const good = entryFor(secrets.good);
    expect(attributeModule(store, good, 'frozen')).toMatchObject({ ok: false, code: 'policy_module_suspended' });
    const mismatch = attributeModule(store, entryFor(secrets.chat), 'document-analysis');
    expect(mismatch).toMatchObject({ ok: false, code: 'policy_module_mismatch', param: 'x-gateway-module' });
    expect(!mismatch.ok && mismatch.message).toContain('"chat"');
    // A header that is not a module key is never echoed.
    const odd = attributeModule(store, good, '<script>');
    expect(!odd.ok && odd.message).not.toContain('<script>');
  });

  it('refuses a bound key whose module is no longer enabled for its org, or is suspended', () => {
    const s = sampleSnapshot();
    delete s.orgModules!['om-chat'];
    const disabled = storeOf(s);
    const entry = authenticate(disabled, secrets.chat);
    expect(entry.ok && attributeModule(disabled, entry.entry, null)).toMatchObject({
      ok: false,
      code: 'policy_module_not_enabled',
      param: null,
    });
    const t = sampleSnapshot();
    t.modules!['mod-chat'] = { ...t.modules!['mod-chat'], status: 'suspended' };
    const suspended = storeOf(t);
    const e2 = authenticate(suspended, secrets.chat);
    expect(e2.ok && attributeModule(suspended, e2.entry, null)).toMatchObject({
      ok: false,
      code: 'policy_module_suspended',
    });
  });

  it("applies the module's model restriction in authorize", () => {
    const good = entryFor(secrets.good);
    const docs = attributeModule(store, good, 'document-analysis');
    if (!docs.ok) throw new Error('expected attribution');
    expect(authorize(store, good, 'gpt-test', now, docs.attribution).ok).toBe(true);
    const refused = authorize(store, good, 'other-model', now, docs.attribution);
    expect(refused).toMatchObject({ ok: false, code: 'policy_model_not_allowed', param: 'model' });
    expect(!refused.ok && refused.message).toContain('document-analysis');
    expect(authorize(store, good, 'other-model', now, null).ok).toBe(true);
  });
});

describe('rotated secrets', () => {
  it('accepts the replaced secret as the same key until its grace period ends', () => {
    const current = entryFor(secrets.rotated);
    const old = entryFor(secrets.rotatedOld);
    expect(old.key.id).toBe('key-rotated');
    expect(current.graceEndsAtMs).toBeNull();
    expect(old.graceEndsAtMs).toBe(Date.parse('2030-01-01T00:00:00.000Z'));
    expect(authorizeKey(old, now).ok).toBe(true);
    expect(authorizeKey(old, Date.parse('2030-01-01T00:00:00.000Z'))).toMatchObject({
      ok: false,
      code: 'caller_key_revoked',
    });
    expect(authorizeKey(current, Date.parse('2031-01-01T00:00:00.000Z')).ok).toBe(true);
    expect(authorizeKey(entryFor(secrets.lapsedOld), now)).toMatchObject({ ok: false, code: 'caller_key_revoked' });
    expect(authorizeKey(entryFor(secrets.lapsed), now).ok).toBe(true);
  });

  it('says "revoked" for the replaced secret once a later rotation dropped it', () => {
    const s = sampleSnapshot();
    const { previous: _dropped, ...rest } = s.keys['key-rotated'];
    s.keys['key-rotated'] = rest;
    const next = storeOf(s, 2, store);
    expect(authenticate(next, secrets.rotatedOld)).toMatchObject({ ok: false, code: 'caller_key_revoked' });
    expect(authenticate(next, secrets.rotated).ok).toBe(true);
  });
});

describe('module attribution over HTTP', () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gw = await startGateway(sampleSnapshot(upstream.url));
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
  });
  afterEach(() => expect(gw.unhandled).toEqual([]));

  const chat = (secret: string, model: string, module?: string) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${secret}`,
        ...(module === undefined ? {} : { 'x-gateway-module': module }),
      },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
  const lastUsage = async () => {
    await new Promise((r) => setTimeout(r, 20));
    return gw.usage.at(-1)!;
  };

  it.each([
    [secrets.good, 'document-analysis', 'mod-docs'],
    [secrets.chat, undefined, 'mod-chat'],
    [secrets.chat, 'chat', 'mod-chat'],
    [secrets.good, undefined, null],
  ])(
    'records the module of the header, of the key binding, or none (key %s, header %s -> %s)',
    async (secret, header, moduleId) => {
      const res = await chat(secret, 'gpt-test', header);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      expect(await lastUsage()).toMatchObject({ requestId: res.headers.get('x-request-id'), moduleId });
    },
  );

  it('answers 403 with the closed-list codes, without calling the provider', async () => {
    const before = upstream.requests.length;
    await expectError(
      await chat(secrets.good, 'gpt-test', 'elsewhere'),
      'policy_module_not_enabled',
      'x-gateway-module',
    );
    await expectError(await chat(secrets.good, 'gpt-test', 'frozen'), 'policy_module_suspended', 'x-gateway-module');
    await expectError(
      await chat(secrets.chat, 'gpt-test', 'document-analysis'),
      'policy_module_mismatch',
      'x-gateway-module',
    );
    await expectError(await chat(secrets.docs, 'other-model'), 'policy_model_not_allowed', 'model');
    expect(upstream.requests.length).toBe(before);
    // A refused model is still recorded with the module it was attributed to.
    expect(await lastUsage()).toMatchObject({
      moduleId: 'mod-docs',
      errorCode: 'policy_model_not_allowed',
      status: 403,
    });
  });

  it('lists only the models the module may use, and refuses a bad header on GET /v1/models', async () => {
    const list = (secret: string, module?: string) =>
      fetch(`${gw.url}/v1/models`, {
        headers: { authorization: `Bearer ${secret}`, ...(module ? { 'x-gateway-module': module } : {}) },
      });
    const ids = async (res: Response) => ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
    expect(await ids(await list(secrets.docs))).toEqual(['gpt-test']);
    expect(await ids(await list(secrets.good, 'document-analysis'))).toEqual(['gpt-test']);
    expect((await ids(await list(secrets.good))).length).toBeGreaterThan(1);
    await expectError(await list(secrets.good, 'nope'), 'policy_module_not_enabled', 'x-gateway-module');
  });

  it('serves the replaced secret during its grace period and refuses it after', async () => {
    const ok = await chat(secrets.rotatedOld, 'gpt-test');
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    expect(await lastUsage()).toMatchObject({ keyId: 'key-rotated' });
    await expectError(await chat(secrets.lapsedOld, 'gpt-test'), 'caller_key_revoked');
  });
});
