// Policy decisions: authenticate, authorize and route as pure functions over a store.
import { describe, expect, it } from 'vitest';
import { sampleSnapshot, secrets, storeOf } from '../test-support/snapshots.ts';
import { authenticate, hashApiKey } from './authenticate.ts';
import { authorize, authorizeKey } from './authorize.ts';
import { route } from './route.ts';

const store = storeOf(sampleSnapshot());
const now = Date.parse('2026-01-01T00:00:00Z');

function entryFor(secret: string) {
  const d = authenticate(store, secret);
  if (!d.ok) throw new Error(`no key for ${secret}`);
  return d.entry;
}

describe('authenticate', () => {
  it('finds a key by the SHA-256 of the presented secret', () => {
    const d = authenticate(store, secrets.good);
    expect(d.ok && d.entry.key.id).toBe('key-good');
    expect(hashApiKey(secrets.good)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a missing and an unknown key with distinct codes', () => {
    expect(authenticate(store, null)).toMatchObject({ ok: false, code: 'caller_missing_api_key' });
    expect(authenticate(store, '')).toMatchObject({ ok: false, code: 'caller_missing_api_key' });
    expect(authenticate(store, 'sk-gw-nope')).toMatchObject({ ok: false, code: 'caller_invalid_api_key' });
  });

  it('says "revoked" for a key that disappeared from a later snapshot', () => {
    const next = sampleSnapshot();
    delete next.keys['key-good'];
    const after = storeOf(next, 2, store);
    expect(authenticate(after, secrets.good)).toMatchObject({ ok: false, code: 'caller_key_revoked' });
    // ...and keeps remembering it through further snapshots.
    const later = storeOf(next, 3, after);
    expect(authenticate(later, secrets.good)).toMatchObject({ ok: false, code: 'caller_key_revoked' });
    // A key that comes back is valid again.
    const back = storeOf(sampleSnapshot(), 4, later);
    expect(authenticate(back, secrets.good).ok).toBe(true);
  });
});

describe('authorize', () => {
  it('allows an active key to use an existing model', () => {
    const d = authorize(store, entryFor(secrets.good), 'gpt-test', now);
    expect(d.ok && d.model.model.id).toBe('m-1');
  });

  it('refuses an expired key', () => {
    expect(authorize(store, entryFor(secrets.expired), 'gpt-test', now)).toMatchObject({
      ok: false,
      code: 'caller_key_expired',
    });
    // Expiry is checked against the given clock, so a future expiry passes.
    const e = { ...entryFor(secrets.good), expiresAtMs: now + 1 };
    expect(authorizeKey(e, now).ok).toBe(true);
    expect(authorizeKey(e, now + 1)).toMatchObject({ ok: false, code: 'caller_key_expired' });
  });

  it.each([
    ['organization', secrets.suspendedOrg],
    ['team', secrets.suspendedTeam],
    ['user', secrets.suspendedUser],
  ])('refuses keys whose org, team or user is suspended: the %s', (what, secret) => {
    const d = authorize(store, entryFor(secret), 'gpt-test', now);
    expect(d).toMatchObject({ ok: false, code: 'policy_org_suspended' });
    expect(!d.ok && d.message).toContain(what);
  });

  it('answers 404 for unknown models and 403 for models outside allowedModels', () => {
    expect(authorize(store, entryFor(secrets.good), 'nope', now)).toMatchObject({
      ok: false,
      code: 'caller_model_not_found',
      param: 'model',
    });
    expect(authorize(store, entryFor(secrets.limited), 'other-model', now)).toMatchObject({
      ok: false,
      code: 'policy_model_not_allowed',
      param: 'model',
    });
    expect(authorize(store, entryFor(secrets.limited), 'gpt-test', now).ok).toBe(true);
  });
});

describe('route', () => {
  it('picks deployments in proportion to their weight', () => {
    const s = sampleSnapshot();
    s.credentials['cred-2'] = { id: 'cred-2', provider: 'openai', baseUrl: 'http://127.0.0.1:2/v1', apiKey: 'k2' };
    s.models['m-1'].deployments = [
      { credentialId: 'cred-1', upstreamModel: 'a', weight: 1 },
      { credentialId: 'cred-2', upstreamModel: 'b', weight: 3 },
    ];
    const model = storeOf(s).modelsByName.get('gpt-test')!;
    expect(route(model, 0).deployment.upstreamModel).toBe('a');
    expect(route(model, 0.24).deployment.upstreamModel).toBe('a');
    expect(route(model, 0.26).deployment.upstreamModel).toBe('b');
    expect(route(model, 0.999999).deployment.upstreamModel).toBe('b');
    expect(route(model, 0.3).credential.apiKey).toBe('k2');
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 4000; i++) counts[route(model, i / 4000).deployment.upstreamModel as 'a' | 'b']++;
    expect(counts).toEqual({ a: 1000, b: 3000 });
  });

  it('returns the only deployment without arithmetic', () => {
    const model = store.modelsByName.get('gpt-test')!;
    expect(route(model, 0.7).deployment.upstreamModel).toBe('upstream-test');
  });
});
