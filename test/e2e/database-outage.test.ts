// PostgreSQL unreachable under a running control plane: it stays live (/healthz) but not ready (/readyz), answers
// every caller SERVICE_UNAVAILABLE, logs the outage once when it starts and once when it ends (no error lines, no
// stack traces), and serves again by itself once the database is back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../harness/control-plane.ts';
import { connectGqlSocket } from '../harness/gql-ws.ts';
import { startPostgres, type TestDatabase } from '../harness/postgres.ts';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.ts';
import { Teardown } from '../harness/teardown.ts';
import { waitFor } from '../harness/wait.ts';

const admin = { email: 'ops@example.com', password: 'ops admin password' };
const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';

const td = new Teardown();
let db: TestDatabase;
/** The control plane reaches PostgreSQL only through this proxy: cutting it is the outage. */
let proxy: TcpProxy;
let cp: ControlPlane;
let sessionToken: string;

interface Answer {
  status: number;
  codes: string[];
  body: string;
}

async function post(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(cp.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = await res.text();
  const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, codes: (parsed.errors ?? []).map((e) => e.extensions?.code ?? 'NO_CODE'), body };
}

async function status(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${cp.url}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.json() };
}

/** Output lines from `from` on, as logged (pino JSON) or not (anything printed another way). */
interface Line {
  level: number;
  msg: string;
  channel?: string;
}

function linesSince(from: number): { json: Line[]; other: string[] } {
  const json: Line[] = [];
  const other: string[] = [];
  for (const line of cp.process.output().slice(from)) {
    if (!line.trim()) continue;
    try {
      json.push(JSON.parse(line));
    } catch {
      other.push(line);
    }
  }
  return { json, other };
}

function usageRecord() {
  return {
    requestId: randomUUID(),
    ts: new Date().toISOString(),
    nodeId: 'outage-dp',
    orgId: randomUUID(),
    teamId: null,
    userId: null,
    keyId: randomUUID(),
    model: 'gpt-fixture',
    provider: null,
    upstreamModel: null,
    inputTokens: 1,
    outputTokens: 1,
    cachedInputTokens: 0,
    costUsd: 0,
    latencyMs: 1,
    overheadMs: 1,
    status: 200,
    errorCode: null,
    stream: false,
  };
}

beforeAll(async () => {
  db = td.add(await startPostgres(), (d) => d.stop(), 'postgres');
  const { hostname, port } = new URL(db.url);
  proxy = td.add(await startTcpProxy({ host: hostname, port: Number(port) }), (p) => p.close(), 'proxy');
  cp = td.add(
    await startControlPlane({
      databaseUrl: proxy.via(db.url),
      name: 'database-outage-control-plane',
      // Debug shows the LISTEN connections' retries, which the test waits for; warn and above must stay quiet.
      env: { SEED_ADMIN_EMAIL: admin.email, SEED_ADMIN_PASSWORD: admin.password, LOG_LEVEL: 'debug' },
    }),
    (c) => c.dispose(),
    'control plane',
  );
  const r = await post(undefined, login, { e: admin.email, p: admin.password });
  sessionToken = (JSON.parse(r.body) as { data: { login: { token: string } } }).data.login.token;
});
afterAll(() => td.run());

describe('database outage', () => {
  it('is live and ready with the database up', async () => {
    expect(await status('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await status('/readyz')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('stays live, turns unready, answers SERVICE_UNAVAILABLE and logs the outage once', async () => {
    const from = cp.process.output().length;
    proxy.setMode('closed');
    proxy.cut();

    await waitFor('/readyz to answer 503', async () => (await status('/readyz')).status === 503);
    expect(await status('/readyz')).toEqual({
      status: 503,
      body: { status: 'unavailable', reason: 'database unavailable' },
    });
    expect(await status('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });

    // Every kind of caller, several times: each needs the database at a different step.
    for (let round = 0; round < 3; round += 1) {
      // The static ADMIN_TOKEN needs no database to authenticate: the resolver's query fails.
      const orgs = await post(cp.adminToken, '{ organizations { nodes { id } } }');
      expect(orgs.codes).toEqual(['SERVICE_UNAVAILABLE']);
      // A session token is looked up in the database before any resolver runs.
      const me = await post(sessionToken, '{ me { email } }');
      expect(me).toMatchObject({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
      const failedLogin = await post(undefined, login, { e: admin.email, p: 'wrong password' });
      expect(failedLogin.codes).toEqual(['SERVICE_UNAVAILABLE']);
      const ingest = await post(cp.dataPlaneToken, 'mutation($b: JSON!) { ingestUsage(batch: $b) { accepted } }', {
        b: { records: [usageRecord()] },
      });
      expect(ingest.codes).toEqual(['SERVICE_UNAVAILABLE']);
      for (const a of [orgs, me, failedLogin, ingest]) expect(a.body).not.toMatch(/ECONN|stack|postgres|pg_/i);

      const csv = await fetch(`${cp.url}/export/usage.csv?orgId=${randomUUID()}`, {
        headers: { authorization: `Bearer ${sessionToken}` },
      });
      expect(csv.status).toBe(503);
      expect(await csv.json()).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });

      // Over WebSocket, a session token cannot be checked: "try again later" (1013), which clients retry.
      const refused = await connectGqlSocket(cp.graphqlUrl, `Bearer ${sessionToken}`).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 1013 });
      // The data plane's token needs no database: its socket opens, and its config sync is served from memory.
      const dp = await connectGqlSocket(cp.graphqlUrl, `Bearer ${cp.dataPlaneToken}`);
      const first = await dp.subscribe('sync', 'subscription { configSync(nodeId: "outage-dp", protocol: 2) }');
      expect(first).toMatchObject({ type: 'next', payload: { data: { configSync: { type: 'full' } } } });
      await dp.close();
    }

    // Both LISTEN connections (config and usage) have failed to reconnect more than once by now.
    await waitFor('the LISTEN connections to retry', () => {
      const retries = linesSince(from).json.filter((l) => l.msg === 'LISTEN reconnect failed');
      return ['gw_config', 'gw_usage'].every((c) => retries.filter((l) => l.channel === c).length >= 2);
    });
    const during = linesSince(from);
    expect(during.other, 'lines not written by the logger').toEqual([]);
    expect(during.json.filter((l) => l.level >= 50)).toEqual([]);
    expect(during.json.filter((l) => /stack/.test(JSON.stringify(l)))).toEqual([]);
    expect(during.json.filter((l) => l.msg === 'database unavailable')).toHaveLength(1);
    expect(during.json.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual(['database unavailable']);

    // Back: ready again without a restart, one line saying so, and the API serves.
    proxy.setMode('open');
    await waitFor('/readyz to answer 200', async () => (await status('/readyz')).status === 200, {
      timeoutMs: 15_000,
    });
    expect((await post(sessionToken, '{ me { email } }')).codes).toEqual([]);
    expect((await post(cp.adminToken, '{ organizations { nodes { id } } }')).codes).toEqual([]);
    const all = linesSince(from).json;
    expect(all.filter((l) => l.msg === 'database available again')).toHaveLength(1);
    expect(all.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('does not hang when the network drops packets: unready at once, requests fail after the connect timeout', async () => {
    const from = cp.process.output().length;
    // New connections are accepted and never answered; the open ones are gone.
    proxy.setMode('held');
    proxy.cut();
    const t0 = Date.now();
    expect((await status('/readyz')).status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect((await status('/healthz')).status).toBe(200);
    const orgs = await post(cp.adminToken, '{ organizations { nodes { id } } }');
    expect(orgs.codes).toEqual(['SERVICE_UNAVAILABLE']);

    proxy.setMode('open');
    await waitFor('/readyz to answer 200', async () => (await status('/readyz')).status === 200, {
      timeoutMs: 15_000,
    });
    expect((await post(cp.adminToken, '{ organizations { nodes { id } } }')).codes).toEqual([]);
    const lines = linesSince(from).json;
    expect(lines.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual(['database unavailable']);
    expect(lines.filter((l) => l.msg === 'database available again')).toHaveLength(1);
  });
});
