// Live subscriptions end with the credential that opened them: logout, a revoked or expired token, an admin
// disabled, deleted or given another role close the graphql-ws socket (4403 and a reason) on every replica, while
// the connections of everyone else keep delivering.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingestMutation, usageRecord } from '../modules/usage/test-records.ts';
import { createOrgAdmin, mintApiToken, updateAdmin } from '../test-support/admin-fixtures.ts';
import { createOrg, must } from '../test-support/fixtures.ts';
import { useApiSuite } from '../test-support/suite.ts';
import {
  adminToken,
  dataPlaneToken,
  startTestApp,
  type TestApp,
  testConfig,
  waitFor,
} from '../test-support/test-app.ts';
import { credentialChannel } from './live-credentials.ts';

const t = useApiSuite();
let replica: TestApp;
let org: string;

beforeAll(async () => {
  replica = await startTestApp(testConfig(t.db.url, { masterKey: t.app.deps.config.masterKey }));
  org = await createOrg(t.app, 'Live');
}, 60_000);

afterAll(async () => {
  const errors = replica?.errorLogs() ?? [];
  await replica?.close();
  expect(errors).toEqual([]);
});

const subs: Sub[] = [];

// Every test starts with no subscription left on either replica (open() counts on it).
afterEach(async () => {
  for (const s of subs.splice(0)) s.stop();
  await waitFor(() =>
    t.app.deps.usageFeed.subscriberCount + replica.deps.usageFeed.subscriberCount === 0 ? true : undefined,
  );
});

const updates = 'subscription($o: ID) { usageUpdates(orgId: $o) { orgId requests } }';

interface Closed {
  code: number;
  reason: string;
}

interface Sub {
  /** Set when the socket closes; a test awaits `closed` for the code and reason. */
  closedWith: Closed | null;
  closed: Promise<Closed>;
  messages: number;
  stop(): void;
}

/** A usageUpdates subscription of `orgId`, resolved once the replica holds it. */
async function open(app: TestApp, token: string): Promise<Sub> {
  const before = app.deps.usageFeed.subscriberCount;
  const sub = { closedWith: null, messages: 0, stop: () => {} } as unknown as Sub;
  sub.closed = new Promise<Closed>((resolve) => {
    const settle = (c: Closed) => {
      sub.closedWith = c;
      resolve(c);
    };
    sub.stop = app.wsClient(token).subscribe(
      { query: updates, variables: { o: org } },
      {
        next: () => {
          sub.messages++;
        },
        error: (e) => {
          const event = e as { code?: number; reason?: string };
          settle({ code: event.code ?? -1, reason: event.reason ?? String(e) });
        },
        complete: () => settle({ code: 0, reason: 'completed' }),
      },
    );
  });
  subs.push(sub);
  await waitFor(() => (app.deps.usageFeed.subscriberCount > before || sub.closedWith ? true : undefined));
  if (sub.closedWith) throw new Error(`subscription refused: ${JSON.stringify(sub.closedWith)}`);
  return sub;
}

/** Usage of the org reaches every open subscription: proof that they still deliver. */
async function stillDelivering(...open: Sub[]): Promise<void> {
  const seen = open.map((s) => s.messages);
  const r = await t.app.gql(ingestMutation, { b: { records: [usageRecord(org)] } }, dataPlaneToken);
  expect(r.errors).toBeUndefined();
  await waitFor(() => (open.every((s, i) => s.messages > seen[i]) ? true : undefined), 10_000);
  for (const s of open) expect(s.closedWith).toBeNull();
}

const sessionEnded = { code: 4403, reason: 'Session ended' };
const tokenGone = { code: 4403, reason: 'API token revoked, or its admin disabled or deleted' };

describe('live subscriptions and the credential behind them', () => {
  it('close on logout, on every replica, and leave other connections delivering', async () => {
    const alice = await createOrgAdmin(t.app, org, 'alice@live.example');
    const bob = await createOrgAdmin(t.app, org, 'bob@live.example', 'ORG_VIEWER');
    const here = await open(t.app, alice.session);
    const there = await open(replica, alice.session);
    const others = [await open(replica, bob.session), await open(t.app, adminToken)];
    expect(t.app.deps.liveCredentials.size + replica.deps.liveCredentials.size).toBe(3);

    expect((await t.app.gql('mutation { logout }', {}, alice.session)).data).toEqual({ logout: true });
    expect(await here.closed).toEqual(sessionEnded);
    expect(await there.closed).toEqual(sessionEnded);
    await stillDelivering(...others);
    expect(t.app.deps.liveCredentials.size + replica.deps.liveCredentials.size).toBe(1);
  });

  it('close when a token is revoked', async () => {
    const token = await mintApiToken(t.app, adminToken, org);
    const other = await mintApiToken(t.app, adminToken, org);
    const sub = await open(replica, token.token);
    const kept = await open(replica, other.token);
    await must(t.app.gql('mutation($id: ID!) { revokeApiToken(id: $id) { id } }', { id: token.id }));
    expect(await sub.closed).toEqual(tokenGone);
    await stillDelivering(kept);
  });

  it('close when the admin is given another role or disabled, and a token capped by the new role may reconnect', async () => {
    const carol = await createOrgAdmin(t.app, org, 'carol@live.example');
    const token = await mintApiToken(t.app, carol.session, org);
    const bySession = await open(replica, carol.session);
    const byToken = await open(replica, token.token);

    await updateAdmin(t.app, carol.id, { role: 'ORG_VIEWER' });
    expect(await bySession.closed).toEqual(sessionEnded);
    expect(await byToken.closed).toEqual({ code: 4403, reason: 'Access changed; reconnect' });

    // The closed sockets' subscriptions are gone from the feed before open() counts a new one.
    await waitFor(() => (replica.deps.usageFeed.subscriberCount === 0 ? true : undefined));
    const again = await open(replica, token.token);
    await updateAdmin(t.app, carol.id, { disabled: true });
    expect(await again.closed).toEqual(tokenGone);
  });

  it('close when the admin is deleted', async () => {
    const dave = await createOrgAdmin(t.app, org, 'dave@live.example');
    const token = await mintApiToken(t.app, dave.session, org);
    const bySession = await open(replica, dave.session);
    const byToken = await open(t.app, token.token);
    await must(t.app.gql('mutation($id: ID!) { deleteAdminUser(id: $id) }', { id: dave.id }));
    expect(await bySession.closed).toEqual(sessionEnded);
    expect(await byToken.closed).toEqual(tokenGone);
  });

  it('close when the token expires, also when its expiry was moved closer', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const token = await mintApiToken(t.app, adminToken, org, 'ORG_ADMIN', inAnHour);
    const sub = await open(replica, token.token);
    await t.db.query("update api_tokens set expires_at = now() + interval '1 second' where id = $1", [token.id]);
    // Any credential change makes every replica look again, and learn the new expiry.
    await t.db.query('select pg_notify($1, $2)', [credentialChannel, '']);
    expect(await sub.closed).toEqual({ code: 4403, reason: 'API token expired' });
  });
});
