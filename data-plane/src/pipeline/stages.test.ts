// The pipeline's stages as tables over snapshot stores: admit (key, expiry, status, module attribution), authorize
// (model availability), route (deployment choice) and their order in decide. No HTTP server.
import type { Snapshot } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { contextFor } from '../test-support/contexts.ts';
import { sampleSnapshot, secrets, storeOf } from '../test-support/snapshots.ts';
import type { RequestContext } from './context.ts';
import { decide } from './run.ts';
import { admit, authorize, route } from './stages.ts';

const store = storeOf(sampleSnapshot());

/** The sample snapshot after a later one dropped key-good (as a revoke delivers it). */
const revokedStore = (() => {
  const next = sampleSnapshot();
  delete next.keys['key-good'];
  return storeOf(next, 2, store);
})();

/** Org 1 may use only gpt-test and fail-500. */
function restrictedOrg(): Snapshot {
  const s = sampleSnapshot();
  s.orgs['org-1'] = { ...s.orgs['org-1'], allowedModels: ['gpt-test', 'fail-500'] };
  return s;
}
const restrictedStore = storeOf(restrictedOrg());

/** Two deployments of gpt-test, weights 1 (upstream "a") and 3 (upstream "b", credential cred-2). */
const weightedStore = (() => {
  const s = sampleSnapshot();
  s.credentials['cred-2'] = { id: 'cred-2', provider: 'openai', baseUrl: 'http://127.0.0.1:2/v1', apiKey: 'k2' };
  s.models['m-1'].deployments = [
    { credentialId: 'cred-1', upstreamModel: 'a', weight: 1 },
    { credentialId: 'cred-2', upstreamModel: 'b', weight: 3 },
  ];
  return storeOf(s);
})();

/** A context that passed admit, with the model its body named. */
function admitted(s: typeof store, secret: string, module: string | null, model: string): RequestContext {
  const ctx = contextFor({ secret, module, model });
  const d = admit(s, ctx);
  if (!d.ok) throw new Error(`admit refused ${secret}: ${d.code}`);
  return ctx;
}

describe('admit', () => {
  it.each([
    { case: 'no key', secret: null, module: null, code: 'caller_missing_api_key', keyId: null },
    { case: 'empty key', secret: '', module: null, code: 'caller_missing_api_key', keyId: null },
    { case: 'unknown key', secret: 'sk-gw-nope', module: null, code: 'caller_invalid_api_key', keyId: null },
    { case: 'expired key', secret: secrets.expired, module: null, code: 'caller_key_expired', keyId: 'key-expired' },
    { case: 'replaced secret, grace over', secret: secrets.lapsedOld, module: null, code: 'caller_key_revoked' },
    { case: 'suspended org', secret: secrets.suspendedOrg, module: null, code: 'policy_org_suspended' },
    { case: 'suspended team', secret: secrets.suspendedTeam, module: null, code: 'policy_org_suspended' },
    { case: 'suspended user', secret: secrets.suspendedUser, module: null, code: 'policy_org_suspended' },
    // Status comes before attribution: a suspended org's key learns nothing about modules.
    { case: 'suspended org, bad module', secret: secrets.suspendedOrg, module: 'nope', code: 'policy_org_suspended' },
    { case: 'module of another org', secret: secrets.good, module: 'elsewhere', code: 'policy_module_not_enabled' },
    { case: 'unknown module', secret: secrets.good, module: 'no-such-module', code: 'policy_module_not_enabled' },
    { case: 'catalogue module not enabled', secret: secrets.good, module: 'search', code: 'policy_module_not_enabled' },
    { case: 'suspended module', secret: secrets.good, module: 'frozen', code: 'policy_module_suspended' },
    {
      case: 'bound key, other module',
      secret: secrets.chat,
      module: 'document-analysis',
      code: 'policy_module_mismatch',
    },
  ])('refuses: $case -> $code', ({ secret, module, code, keyId }) => {
    const ctx = contextFor({ secret, module });
    const d = admit(store, ctx);
    expect(d).toMatchObject({ ok: false, code });
    if (module !== null && code.startsWith('policy_module')) expect(d).toMatchObject({ param: 'x-gateway-module' });
    // A known key is kept on the context even when refused: its refusal is recorded against it.
    if (keyId !== undefined) expect(ctx.key?.key.id ?? null).toBe(keyId);
    expect(ctx.attribution).toBeNull();
  });

  it.each([
    { case: 'plain key', secret: secrets.good, module: null, keyId: 'key-good', moduleId: null },
    { case: 'blank header', secret: secrets.good, module: '  ', keyId: 'key-good', moduleId: null },
    { case: 'header', secret: secrets.good, module: 'document-analysis', keyId: 'key-good', moduleId: 'mod-docs' },
    { case: 'bound key', secret: secrets.chat, module: null, keyId: 'key-chat', moduleId: 'mod-chat' },
    { case: 'bound key, same header', secret: secrets.chat, module: 'chat', keyId: 'key-chat', moduleId: 'mod-chat' },
    {
      case: 'replaced secret in grace',
      secret: secrets.rotatedOld,
      module: null,
      keyId: 'key-rotated',
      moduleId: null,
    },
  ])('admits: $case (key $keyId, module $moduleId)', ({ secret, module, keyId, moduleId }) => {
    const ctx = contextFor({ secret, module });
    expect(admit(store, ctx)).toEqual({ ok: true });
    expect(ctx.key?.key.id).toBe(keyId);
    expect(ctx.moduleId).toBe(moduleId);
    expect(ctx.attribution?.module.id ?? null).toBe(moduleId);
  });

  it('says revoked for a key a later snapshot dropped', () => {
    expect(admit(revokedStore, contextFor({ secret: secrets.good }))).toMatchObject({ code: 'caller_key_revoked' });
  });
});

describe('authorize', () => {
  it.each([
    { case: 'any model', secret: secrets.good, module: null, model: 'other-model', modelId: 'm-2' },
    { case: 'allowed by the key', secret: secrets.limited, module: null, model: 'gpt-test', modelId: 'm-1' },
    { case: "in the module's list", secret: secrets.docs, module: null, model: 'gpt-test', modelId: 'm-1' },
    {
      case: "in the header module's list",
      secret: secrets.good,
      module: 'document-analysis',
      model: 'gpt-test',
      modelId: 'm-1',
    },
  ])('allows: $case', ({ secret, module, model, modelId }) => {
    const ctx = admitted(store, secret, module, model);
    expect(authorize(store, ctx)).toEqual({ ok: true });
    expect(ctx.modelEntry?.model.id).toBe(modelId);
  });

  it.each([
    {
      case: 'unknown model',
      s: store,
      secret: secrets.good,
      module: null,
      model: 'nope',
      code: 'caller_model_not_found',
      says: '"nope"',
    },
    {
      case: "outside the key's list",
      s: store,
      secret: secrets.limited,
      module: null,
      model: 'other-model',
      code: 'policy_model_not_allowed',
      says: 'API key',
    },
    {
      case: "outside the bound module's list",
      s: store,
      secret: secrets.docs,
      module: null,
      model: 'other-model',
      code: 'policy_model_not_allowed',
      says: 'document-analysis',
    },
    {
      case: "outside the header module's list",
      s: store,
      secret: secrets.good,
      module: 'document-analysis',
      model: 'fail-500',
      code: 'policy_model_not_allowed',
      says: 'document-analysis',
    },
    {
      case: "outside the org's list",
      s: restrictedStore,
      secret: secrets.good,
      module: null,
      model: 'other-model',
      code: 'policy_model_not_allowed',
      says: 'organization',
    },
    {
      case: 'unknown, whatever the org list',
      s: restrictedStore,
      secret: secrets.good,
      module: null,
      model: 'nope',
      code: 'caller_model_not_found',
      says: 'does not exist',
    },
  ])('refuses: $case -> $code', ({ s, secret, module, model, code, says }) => {
    const ctx = admitted(s, secret, module, model);
    const d = authorize(s, ctx);
    expect(d).toMatchObject({ ok: false, code, param: 'model' });
    expect(!d.ok && d.message).toContain(says);
    expect(ctx.modelEntry).toBeNull();
  });
});

describe('route', () => {
  it.each([
    { draw: 0, upstream: 'a', credential: 'cred-1' },
    { draw: 0.24, upstream: 'a', credential: 'cred-1' },
    { draw: 0.26, upstream: 'b', credential: 'cred-2' },
    { draw: 0.999999, upstream: 'b', credential: 'cred-2' },
  ])('draw $draw picks upstream $upstream (weights 1:3)', ({ draw, upstream, credential }) => {
    const ctx = admitted(weightedStore, secrets.good, null, 'gpt-test');
    expect(authorize(weightedStore, ctx).ok).toBe(true);
    ctx.routeDraw = draw;
    expect(route(weightedStore, ctx)).toEqual({ ok: true });
    expect(ctx.target?.credential.id).toBe(credential);
    expect(ctx.upstreamModel).toBe(upstream);
    expect(ctx.provider).toBe('openai');
    expect(ctx.adapter?.id).toBe('openai');
  });

  it.each([0, 0.5, 0.999999])('a single deployment serves every draw (%s)', (draw) => {
    const ctx = admitted(store, secrets.good, null, 'gpt-test');
    authorize(store, ctx);
    ctx.routeDraw = draw;
    route(store, ctx);
    expect(ctx.upstreamModel).toBe('upstream-test');
  });
});

describe('decide (authorize, budget, rate limit, request guardrails, route, in that order)', () => {
  it.each([
    { case: 'unknown model', secret: secrets.good, model: 'nope', code: 'caller_model_not_found' },
    { case: 'model not allowed', secret: secrets.limited, model: 'other-model', code: 'policy_model_not_allowed' },
  ])('stops at the first refusal and routes nothing: $case', ({ secret, model, code }) => {
    const ctx = admitted(store, secret, null, model);
    expect(decide(store, ctx)).toMatchObject({ ok: false, code });
    expect(ctx.target).toBeNull();
    expect(ctx.provider).toBeNull();
  });

  it('runs every stage of an allowed request: nothing held by the seams, a deployment chosen', () => {
    const ctx = admitted(weightedStore, secrets.docs, null, 'gpt-test');
    ctx.routeDraw = 0.9;
    expect(decide(weightedStore, ctx)).toEqual({ ok: true });
    expect(ctx.modelEntry?.model.id).toBe('m-1');
    expect(ctx.budgetHeld).toBe(0);
    expect(ctx.rateHeld).toBe(0);
    expect(ctx.upstreamModel).toBe('b');
  });
});
