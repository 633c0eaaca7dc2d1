// Webhooks end to end against a real local receiver: endpoints and their one-time secret, URL rules, signed
// deliveries that a receiver verifies as docs/webhooks.md says, retries after failures until success or the last
// attempt, the platform endpoint receiving every org's alerts, rotation, disabling, and who may manage what.
import 'reflect-metadata';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApiSuite } from '../../test-support/suite.ts';
import { buildWorld, type World } from '../../test-support/tenant-world.ts';
import { waitFor } from '../../test-support/test-app.ts';
import { AlertStore } from '../alerts/alert-store.ts';
import { type Received, type Receiver, startReceiver } from './test-receiver.ts';
import { validateWebhookUrl } from './webhook-url.ts';

const t = useApiSuite({
  webhookAllowInternal: true,
  webhookRetryBaseMs: 40,
  webhookMaxAttempts: 3,
  webhookTimeoutMs: 500,
});
let w: World;
let receiver: Receiver;

beforeAll(async () => {
  w = await buildWorld(t.app);
  receiver = await startReceiver();
}, 60_000);
afterAll(async () => receiver?.close());

const createMutation = `mutation($i: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $i) { secret endpoint { id orgId url description enabled secretHint } } }`;
const deliveriesQuery = `query($e: ID!) { webhookDeliveries(endpointId: $e) {
  id alertId status attempt lastStatus lastError nextAttemptAt deliveredAt } }`;

interface Delivery {
  id: string;
  alertId: string;
  status: string;
  attempt: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
}

async function createEndpoint(orgId: string | null, path: string, token?: string) {
  const r = await t.app.gql<{
    createWebhookEndpoint: { secret: string; endpoint: { id: string; secretHint: string } };
  }>(createMutation, { i: { orgId, url: receiver.url(path), description: `receiver ${path}` } }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.createWebhookEndpoint;
}

let hour = Date.parse('2032-01-01T00:00:00.000Z');
/** Raises a fresh fail-open alert of the org; returns its id. */
async function raise(orgId: string): Promise<string> {
  hour += 3_600_000;
  const [a] = await new AlertStore(t.app.deps.orm.em.fork()).recordUnchecked([
    { orgId, at: new Date(hour).toISOString(), records: 2 },
  ]);
  return a.id;
}

async function deliveries(endpointId: string): Promise<Delivery[]> {
  const r = await t.app.gql<{ webhookDeliveries: Delivery[] }>(deliveriesQuery, { e: endpointId });
  expect(r.errors).toBeUndefined();
  return r.data!.webhookDeliveries;
}

/** What docs/webhooks.md tells a receiver to do, written out with node:crypto alone. */
function receiverAccepts(secret: string, r: Received, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const timestamp = String(r.headers['x-gateway-webhook-timestamp']);
  const signature = String(r.headers['x-gateway-webhook-signature']);
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`);
  return signature
    .split(' ')
    .some((s) => Buffer.byteLength(s) === expected.length && timingSafeEqual(Buffer.from(s), expected));
}

describe('webhook endpoints', () => {
  it('show the signing secret once, store it sealed, and audit the change without it', async () => {
    const { secret, endpoint } = await createEndpoint(w.A.id, '/secret-once');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint.secretHint).toBe(`whsec_...${secret.slice(-4)}`);
    const listed = await t.app.gql<{ webhookEndpoints: { id: string; secretHint: string }[] }>(
      'query($o: ID) { webhookEndpoints(orgId: $o) { id secretHint } }',
      { o: w.A.id },
      w.tokens.orgViewer,
    );
    expect(listed.data?.webhookEndpoints.map((e) => e.id)).toContain(endpoint.id);
    const dump = await t.db.query<{ text: string }>(
      `select (select string_agg(to_jsonb(e)::text || encode(e.secret_ciphertext, 'escape'), '') from webhook_endpoints e)
              || (select string_agg(to_jsonb(a)::text, '') from audit_events a) as text`,
    );
    expect(dump[0].text).not.toContain(secret);
    expect(dump[0].text).not.toContain(secret.slice(6));
    const [audit] = await t.db.query('select action, after from audit_events where target_id = $1', [endpoint.id]);
    expect(audit).toMatchObject({ action: 'webhookEndpoint.create', after: { hint: endpoint.secretHint } });
    expect(t.app.logs.map((l) => JSON.stringify(l)).join('\n')).not.toContain(secret);
  });

  it.each([
    ['ftp://hooks.example.com/x', 'http or https'],
    ['https://user:pw@hooks.example.com/x', 'username or password'],
    ['hooks.example.com/x', 'absolute http(s) URL'],
    [`https://hooks.example.com/${'a'.repeat(2100)}`, 'at most 2048'],
  ])('refuses the url %s', async (url, message) => {
    const r = await t.app.gql(createMutation, { i: { orgId: w.A.id, url } });
    expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.url' } });
    expect(r.errors?.[0].message).toContain(message);
  });

  it.each([
    'http://127.0.0.1:8080/x',
    'http://localhost/x',
    'http://10.1.2.3/x',
    'http://169.254.169.254/latest',
    'http://[::1]/x',
    'http://[::ffff:192.168.0.1]/x',
  ])('refuses the internal address %s unless internal URLs are allowed', (url) => {
    expect(() => validateWebhookUrl('input.url', url, false)).toThrow(/loopback, private or link-local/);
    expect(validateWebhookUrl('input.url', url, true)).toBe(url);
  });

  it('lets org admins manage their own endpoints only, and viewers only read', async () => {
    const own = await createEndpoint(w.A.id, '/rbac', w.tokens.orgAdmin);
    const platform = await createEndpoint(null, '/rbac-platform');
    const foreign = await createEndpoint(w.B.id, '/rbac-b');
    const update = 'mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { id description } }';
    const codes = async (id: string, token: string) =>
      (await t.app.gql(update, { i: { id, description: 'changed' } }, token)).errors?.[0]?.extensions?.code ?? 'OK';
    expect(await codes(own.endpoint.id, w.tokens.orgAdmin)).toBe('OK');
    expect(await codes(own.endpoint.id, w.tokens.orgViewer)).toBe('FORBIDDEN');
    expect(await codes(platform.endpoint.id, w.tokens.orgAdmin)).toBe('NOT_FOUND');
    expect(await codes(foreign.endpoint.id, w.tokens.orgAdmin)).toBe('NOT_FOUND');
    const platformList = await t.app.gql('{ webhookEndpoints { id } }', {}, w.tokens.orgAdmin);
    expect(platformList.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    for (const e of [own, platform, foreign]) {
      await t.app.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', { id: e.endpoint.id });
    }
  });
});

describe('webhook deliveries', () => {
  it('retry after 5xx until the endpoint accepts, signed so that the documented check passes', async () => {
    receiver.script('/retry', [500, 503, 200]);
    const { secret, endpoint } = await createEndpoint(w.A.id, '/retry');
    const alertId = await raise(w.A.id);
    const got = await waitFor(() =>
      receiver.received('/retry').length >= 3 ? receiver.received('/retry') : undefined,
    );
    const [d] = await waitFor(async () => {
      const ds = await deliveries(endpoint.id);
      return ds[0]?.status === 'DELIVERED' ? ds : undefined;
    });
    expect(d).toMatchObject({ alertId, attempt: 3, lastStatus: 200, lastError: null, nextAttemptAt: null });
    expect(new Set(got.map((r) => r.headers['x-gateway-webhook-id']))).toEqual(new Set([d.id]));
    for (const r of got) {
      expect(receiverAccepts(secret, r)).toBe(true);
      expect(receiverAccepts(`${secret}x`, r)).toBe(false);
      expect(receiverAccepts(secret, { ...r, body: r.body.replace('fail_open', 'threshold') })).toBe(false);
      expect(receiverAccepts(secret, r, Math.floor(Date.now() / 1000) + 301)).toBe(false);
      expect(r.headers['content-type']).toBe('application/json');
    }
    // Growing delays: the second retry waits longer than the first (40 ms, then 120 ms).
    expect(got[2].at - got[1].at).toBeGreaterThan(got[1].at - got[0].at);
    const body = JSON.parse(got[0].body);
    expect(body).toMatchObject({
      type: 'budget_alert.raised',
      alert: { id: alertId, orgId: w.A.id, orgName: 'Tenant A', kind: 'fail_open', uncheckedRecords: 2 },
    });
    expect(body.alert.message).toContain('served without a budget check');
    await t.app.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', { id: endpoint.id });
  });

  it('give up after the last attempt, recording the status but never the response body', async () => {
    receiver.script('/down', [500]);
    const { endpoint } = await createEndpoint(w.B.id, '/down');
    await raise(w.B.id);
    const [d] = await waitFor(async () => {
      const ds = await deliveries(endpoint.id);
      return ds[0]?.status === 'FAILED' ? ds : undefined;
    });
    expect(d).toMatchObject({ attempt: 3, lastStatus: 500, lastError: 'HTTP 500', nextAttemptAt: null });
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.received('/down')).toHaveLength(3);
    const stored = await t.db.query('select * from webhook_deliveries where id = $1', [d.id]);
    expect(JSON.stringify(stored)).not.toContain('internal details');
    await t.app.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', { id: endpoint.id });
  });

  it("time out a silent endpoint, and send the platform endpoint every org's alerts but an org only its own", async () => {
    receiver.script('/silent', ['hang', 200]);
    const silent = await createEndpoint(w.A.id, '/silent');
    const platform = await createEndpoint(null, '/platform');
    const ofB = await createEndpoint(w.B.id, '/only-b');
    const alertA = await raise(w.A.id);
    const alertB = await raise(w.B.id);
    const alertIds = (path: string) => receiver.received(path).map((r) => JSON.parse(r.body).alert.id);
    await waitFor(() => (alertIds('/platform').length === 2 ? true : undefined));
    expect(new Set(alertIds('/platform'))).toEqual(new Set([alertA, alertB]));
    await waitFor(() => (alertIds('/only-b').length === 1 ? true : undefined));
    expect(alertIds('/only-b')).toEqual([alertB]);
    const [d] = await waitFor(async () => {
      const ds = await deliveries(silent.endpoint.id);
      return ds[0]?.status === 'DELIVERED' ? ds : undefined;
    });
    expect(d.attempt).toBe(2);
    const first = await t.db.query<{ n: string }>('select count(*)::text as n from audit_events');
    expect(Number(first[0].n)).toBeGreaterThan(0);
    for (const e of [silent, platform, ofB]) {
      await t.app.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', { id: e.endpoint.id });
    }
  });

  it('sign with the new secret after a rotation, and send nothing to a disabled endpoint', async () => {
    const { secret: old, endpoint } = await createEndpoint(w.A.id, '/rotated');
    const rotated = await t.app.gql<{ rotateWebhookSecret: { secret: string; endpoint: { secretHint: string } } }>(
      'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { secretHint } } }',
      { id: endpoint.id },
      w.tokens.orgAdminToken,
    );
    const fresh = rotated.data!.rotateWebhookSecret.secret;
    expect(fresh).not.toBe(old);
    await raise(w.A.id);
    const [r] = await waitFor(() => (receiver.received('/rotated').length ? receiver.received('/rotated') : undefined));
    expect(receiverAccepts(fresh, r)).toBe(true);
    expect(receiverAccepts(old, r)).toBe(false);

    const off = await t.app.gql(
      'mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { enabled } }',
      { i: { id: endpoint.id, enabled: false } },
      w.tokens.orgAdmin,
    );
    expect(off.data).toEqual({ updateWebhookEndpoint: { enabled: false } });
    await raise(w.A.id);
    // The next alert reaches a platform-wide receiver; the disabled one hears nothing meanwhile.
    const watcher = await createEndpoint(null, '/watcher');
    const last = await raise(w.A.id);
    await waitFor(() =>
      receiver.received('/watcher').some((x) => JSON.parse(x.body).alert.id === last) ? true : undefined,
    );
    expect(receiver.received('/rotated')).toHaveLength(1);
    await t.app.gql('mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', { id: watcher.endpoint.id });
  });
});
