// Per-org model availability: authorize refuses models outside the org's list; GET /v1/models lists the
// intersection of the org's availability and the key's allow-list; weighted routing across deployments.
import type { Snapshot } from '@gw/schema';
import { snapshotProblems, snapshotSchema } from '@gw/schema';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../test-support/expect-error.ts';
import { type FakeUpstream, startFakeUpstream } from '../test-support/fake-upstream.ts';
import { startGateway, type TestGateway } from '../test-support/gateway.ts';
import { sampleSnapshot, secrets, storeOf } from '../test-support/snapshots.ts';
import { authenticate } from './authenticate.ts';
import { authorize } from './authorize.ts';
import { route } from './route.ts';

const now = Date.parse('2026-01-01T00:00:00Z');

/** Org 1 may use only gpt-test and fail-500; the limited key allows gpt-test only. */
function restricted(baseUrl?: string): Snapshot {
  const s = sampleSnapshot(baseUrl);
  s.orgs['org-1'] = { ...s.orgs['org-1'], allowedModels: ['gpt-test', 'fail-500'] };
  return s;
}

function entry(snapshot: Snapshot, secret: string) {
  const d = authenticate(storeOf(snapshot), secret);
  if (!d.ok) throw new Error('no key');
  return { store: storeOf(snapshot), entry: d.entry };
}

describe('per-org model availability (authorize)', () => {
  it('is a valid, consistent snapshot either way: absent means every model', () => {
    for (const s of [sampleSnapshot(), restricted()]) {
      expect(snapshotSchema.safeParse(s).success).toBe(true);
      expect(snapshotProblems(s)).toEqual([]);
    }
    const { store, entry: e } = entry(sampleSnapshot(), secrets.good);
    expect(e.orgAllowedModels).toBeNull();
    expect(authorize(store, e, 'other-model', now).ok).toBe(true);
  });

  it('refuses a model the org may not use with policy_model_not_allowed, naming the org', () => {
    const { store, entry: e } = entry(restricted(), secrets.good);
    expect(authorize(store, e, 'gpt-test', now).ok).toBe(true);
    const d = authorize(store, e, 'other-model', now);
    expect(d).toMatchObject({ ok: false, code: 'policy_model_not_allowed', param: 'model' });
    expect(!d.ok && d.message).toContain('organization');
    // Unknown models stay 404, whatever the org's list says.
    expect(authorize(store, e, 'nope', now)).toMatchObject({ ok: false, code: 'caller_model_not_found' });
  });

  it('applies both lists: the org allows fail-500, the limited key does not', () => {
    const { store, entry: e } = entry(restricted(), secrets.limited);
    expect(authorize(store, e, 'gpt-test', now).ok).toBe(true);
    expect(authorize(store, e, 'fail-500', now)).toMatchObject({ ok: false, code: 'policy_model_not_allowed' });
  });

  it('an explicit empty list allows nothing', () => {
    const s = sampleSnapshot();
    s.orgs['org-1'] = { ...s.orgs['org-1'], allowedModels: [] };
    const { store, entry: e } = entry(s, secrets.good);
    expect(authorize(store, e, 'gpt-test', now)).toMatchObject({ ok: false, code: 'policy_model_not_allowed' });
  });
});

describe('route', () => {
  it('follows weights over many draws and never picks a deployment that is gone', () => {
    const s = sampleSnapshot();
    s.credentials['cred-2'] = { id: 'cred-2', provider: 'openai', baseUrl: 'http://127.0.0.1:9/v2', apiKey: 'k2' };
    s.models['m-1'] = {
      ...s.models['m-1'],
      deployments: [
        { credentialId: 'cred-1', upstreamModel: 'a', weight: 1 },
        { credentialId: 'cred-2', upstreamModel: 'b', weight: 3 },
      ],
    };
    const model = storeOf(s).modelsByName.get('gpt-test')!;
    const counts = { a: 0, b: 0 };
    for (let i = 0; i < 10_000; i++) counts[route(model, Math.random()).deployment.upstreamModel as 'a' | 'b']++;
    expect(counts.b / 10_000).toBeGreaterThan(0.72);
    expect(counts.b / 10_000).toBeLessThan(0.78);
    expect(route(model, 0.5).credential.apiKey).toBe('k2');

    // storeOf froze `s`: the next snapshot is a new object, as a delta would build it.
    const next = { ...s, models: { ...s.models } };
    next.models['m-1'] = {
      ...s.models['m-1'],
      deployments: [{ credentialId: 'cred-2', upstreamModel: 'b', weight: 3 }],
    };
    const after = storeOf(next).modelsByName.get('gpt-test')!;
    for (let i = 0; i < 100; i++) expect(route(after, i / 100).deployment.upstreamModel).toBe('b');
  });
});

describe('GET /v1/models and chat completions with a restricted org', () => {
  let upstream: FakeUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gw = await startGateway(restricted(upstream.url));
  });
  afterAll(async () => {
    await gw.close();
    await upstream.close();
  });
  afterEach(() => expect(gw.unhandled).toEqual([]));

  const list = async (secret: string) => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
  };

  it('lists only the org availability intersected with the key allow-list', async () => {
    expect(await list(secrets.good)).toEqual(['fail-500', 'gpt-test']);
    expect(await list(secrets.limited)).toEqual(['gpt-test']);
  });

  it('answers 403 policy_model_not_allowed for a model outside the org list, without calling upstream', async () => {
    const before = upstream.requests.length;
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.good}` },
      body: JSON.stringify({ model: 'other-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await expectError(res, 'policy_model_not_allowed', 'model');
    expect(upstream.requests.length).toBe(before);
  });
});
