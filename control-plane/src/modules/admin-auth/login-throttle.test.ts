// Login throttling under concurrency and on every transport: the limit is never exceeded by attempts that arrive
// together (on one replica or several), and logins over graphql-ws count against the client's address too.
import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustedProxies } from '../../http/client-address.ts';
import { must } from '../../test-support/fixtures.ts';
import { useApiSuite } from '../../test-support/suite.ts';
import { startTestApp, type TestApp, testConfig } from '../../test-support/test-app.ts';
import { maxFailuresPerEmail, maxFailuresPerRemote } from './login-throttle.ts';

const t = useApiSuite();
let replica: TestApp;

beforeAll(async () => {
  replica = await startTestApp(testConfig(t.db.url, { masterKey: t.app.deps.config.masterKey }));
}, 60_000);

afterAll(async () => {
  const errors = replica?.errorLogs() ?? [];
  await replica?.close();
  expect(errors).toEqual([]);
});

// Each test starts from a clean count: the tests share one client address.
afterEach(async () => {
  await t.db.query('delete from login_failures');
});

const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
type Outcome = 'ok' | string;

const outcomeOf = (r: { data?: unknown; errors?: readonly { extensions?: Record<string, unknown> }[] }): Outcome =>
  r.errors?.length ? String(r.errors[0].extensions?.code) : 'ok';

async function overHttp(app: TestApp, email: string, password: string): Promise<Outcome> {
  return outcomeOf(await app.gql(login, { e: email, p: password }, null));
}

/** One login sent over an open graphql-ws connection. */
function overWs(client: Client, email: string, password: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    client.subscribe(
      { query: login, variables: { e: email, p: password } },
      { next: (r) => resolve(outcomeOf(r)), error: reject, complete: () => {} },
    );
  });
}

const tally = (outcomes: Outcome[]) =>
  outcomes.reduce<Record<string, number>>((acc, o) => Object.assign(acc, { [o]: (acc[o] ?? 0) + 1 }), {});

async function createAdmin(email: string, password: string): Promise<void> {
  await must(
    t.app.gql('mutation($i: CreateAdminUserInput!) { createAdminUser(input: $i) { id } }', {
      i: { email, password, role: 'PLATFORM_ADMIN' },
    }),
  );
}

describe('login throttling', () => {
  it('checks only as many passwords as the limit allows when guesses arrive together, across replicas', async () => {
    await createAdmin('burst@example.com', 'the real password');
    const guesses = Array.from({ length: 24 }, (_, i) =>
      overHttp(i % 2 ? replica : t.app, 'burst@example.com', `guess ${i}`),
    );
    expect(tally(await Promise.all(guesses))).toEqual({
      UNAUTHENTICATED: maxFailuresPerEmail,
      TOO_MANY_REQUESTS: 24 - maxFailuresPerEmail,
    });
    const rows = await t.db.query("select 1 from login_failures where email_key = 'burst@example.com'");
    expect(rows).toHaveLength(maxFailuresPerEmail);
    // The limit is reached: the right password is refused too, on either replica.
    expect(await overHttp(t.app, 'burst@example.com', 'the real password')).toBe('TOO_MANY_REQUESTS');
    expect(await overHttp(replica, 'Burst@Example.com', 'the real password')).toBe('TOO_MANY_REQUESTS');
  });

  it('lets one of several concurrent attempts with the right password in, and clears the count', async () => {
    await createAdmin('typo@example.com', 'the real password');
    const attempts = await Promise.all([
      overHttp(t.app, 'typo@example.com', 'the real pasword'),
      overHttp(replica, 'typo@example.com', 'the real password'),
    ]);
    expect(attempts.sort()).toEqual(['UNAUTHENTICATED', 'ok']);
    expect(await overHttp(t.app, 'typo@example.com', 'the real password')).toBe('ok');
    expect(await t.db.query("select 1 from login_failures where email_key = 'typo@example.com'")).toHaveLength(0);
  });

  it('counts logins over graphql-ws against the client address, like those over HTTP', async () => {
    const ws = t.app.wsClient(t.app.deps.config.adminToken ?? null);
    // Distinct emails: only the per-address limit can stop them.
    const guesses = Array.from({ length: maxFailuresPerRemote + 6 }, (_, i) =>
      overWs(ws, `visitor-${i}@example.com`, 'guess'),
    );
    expect(tally(await Promise.all(guesses))).toEqual({
      UNAUTHENTICATED: maxFailuresPerRemote,
      TOO_MANY_REQUESTS: 6,
    });
    const [row] = await t.db.query<{ remote: string | null }>('select distinct remote from login_failures');
    expect(row.remote).toMatch(/127\.0\.0\.1$/);
    // The address is spent for every transport: the right password of another admin is refused too.
    expect(await overWs(ws, 'root@example.com', 'correct horse battery')).toBe('TOO_MANY_REQUESTS');
    expect(await overHttp(t.app, 'root@example.com', 'correct horse battery')).toBe('TOO_MANY_REQUESTS');
  });

  it('behind TRUSTED_PROXIES counts each client named by X-Forwarded-For; without, the header is ignored', async () => {
    const proxied = await startTestApp(
      testConfig(t.db.url, {
        masterKey: t.app.deps.config.masterKey,
        trustedProxies: parseTrustedProxies('127.0.0.1').list,
      }),
    );
    try {
      const from = (app: TestApp, client: string, i: number) =>
        fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `6.6.6.6, ${client}` },
          body: JSON.stringify({ query: login, variables: { e: `guest-${i}@example.com`, p: 'guess' } }),
        }).then(async (r) => outcomeOf(await r.json()));
      const spent = await Promise.all(
        Array.from({ length: maxFailuresPerRemote + 2 }, (_, i) => from(proxied, '198.51.100.7', i)),
      );
      expect(tally(spent)).toEqual({ UNAUTHENTICATED: maxFailuresPerRemote, TOO_MANY_REQUESTS: 2 });
      // Another client behind the same proxy is not locked out by the first one's guesses.
      expect(await from(proxied, '198.51.100.8', 0)).toBe('UNAUTHENTICATED');
      // A control plane that trusts no proxy counts the peer, whatever the header claims.
      expect(await from(t.app, '198.51.100.9', 0)).toBe('UNAUTHENTICATED');
      const remotes = await t.db.query<{ remote: string }>(
        'select distinct remote from login_failures order by remote',
      );
      expect(remotes.map((r) => r.remote.replace(/^::ffff:/, ''))).toEqual([
        '127.0.0.1',
        '198.51.100.7',
        '198.51.100.8',
      ]);
    } finally {
      await proxied.close();
    }
  });
});
