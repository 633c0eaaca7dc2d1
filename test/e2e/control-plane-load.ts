// A sustained, mixed and partly hostile load on one control plane, like the probing that once left it at 1.5 GB:
// cross-tenant GraphQL probes, legitimate reads, malformed operations, persisted-query noise, failed logins,
// subscriptions opening and closing, and usage ingestion. Deterministic for a seed; counts what it sent.
import { createHash, randomUUID } from 'node:crypto';
import type { ControlPlane } from '../harness/control-plane.ts';
import { gql, gqlClient } from '../harness/gql.ts';
import { connectGqlSocket } from '../harness/gql-ws.ts';

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Tenant {
  orgId: string;
  teamId: string;
  keyId: string;
  adminEmail: string;
  /** Session token of the org's admin. */
  session: string;
}

const password = 'load admin password';

/** Creates `count` organizations, each with a team, a team key and a logged-in org admin. */
export async function createTenants(cp: ControlPlane, count: number): Promise<Tenant[]> {
  const admin = gqlClient(cp.graphqlUrl, cp.adminToken);
  const tenants: Tenant[] = [];
  for (let i = 0; i < count; i += 1) {
    const { createOrganization: org } = await admin<{ createOrganization: { id: string } }>(
      'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
      { i: { name: `Load org ${i}` } },
    );
    const { createTeam: team } = await admin<{ createTeam: { id: string } }>(
      'mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }',
      { i: { name: `Load team ${i}`, orgId: org.id } },
    );
    const { createVirtualKey: key } = await admin<{ createVirtualKey: { virtualKey: { id: string } } }>(
      'mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { virtualKey { id } } }',
      { i: { name: `load key ${i}`, orgId: org.id, teamId: team.id } },
    );
    const adminEmail = `load-admin-${i}@example.com`;
    await admin('mutation($i: CreateAdminUserInput!) { createAdminUser(input: $i) { id } }', {
      i: { email: adminEmail, password, role: 'ORG_ADMIN', orgId: org.id },
    });
    const { login } = await gql<{ login: { token: string } }>(
      cp.graphqlUrl,
      undefined,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: adminEmail, p: password },
    );
    tenants.push({ orgId: org.id, teamId: team.id, keyId: key.virtualKey.id, adminEmail, session: login.token });
  }
  return tenants;
}

export interface LoadStats {
  /** Operations sent per kind. */
  sent: Record<string, number>;
  /** HTTP statuses >= 500 or INTERNAL_SERVER_ERROR codes seen, with what caused them (the first few). */
  serverErrors: string[];
  /** Failures of the load itself (a refused connection, a timeout): the control plane stopped answering. */
  transportErrors: string[];
}

export interface Load {
  stats: LoadStats;
  /** Stops after the operations in flight; resolves with the totals. */
  stop(): Promise<LoadStats>;
}

type Op = (rand: () => number) => Promise<void>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Runs `workers` HTTP loops and one WebSocket loop against `cp` until stopped. Every answer is checked for server
 * faults only: refusals are the expected outcome of most of this traffic.
 */
export function startLoad(cp: ControlPlane, tenants: Tenant[], opts: { seed: number; workers?: number }): Load {
  const stats: LoadStats = { sent: {}, serverErrors: [], transportErrors: [] };
  const count = (kind: string) => {
    stats.sent[kind] = (stats.sent[kind] ?? 0) + 1;
  };
  const fault = (list: string[], what: string) => {
    if (list.length < 20) list.push(what);
  };

  async function post(kind: string, token: string | undefined, body: string, contentType = 'application/json') {
    count(kind);
    const res = await fetch(cp.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.status >= 500 || text.includes('INTERNAL_SERVER_ERROR')) {
      fault(stats.serverErrors, `${kind}: HTTP ${res.status} ${text.slice(0, 200)}`);
    }
  }
  const op = (kind: string, token: string | undefined, query: string, variables?: Record<string, unknown>) =>
    post(kind, token, JSON.stringify({ query, variables }));

  const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const other = (rand: () => number, t: Tenant) =>
    pick(
      rand,
      tenants.filter((x) => x !== t),
    );
  const now = Date.now();
  const window = { from: iso(now - 7 * 86_400_000), to: iso(now + 3_600_000) };

  /**
   * An org admin asks about another org. Probes are written the way a fuzzer writes them, ids and a random alias in
   * the text: every one is a new document to parse, validate and (if valid) cache.
   */
  const crossTenant: Op = async (rand) => {
    const me = pick(rand, tenants);
    const them = other(rand, me);
    const p = `p${Math.floor(rand() * 1e9)}`;
    const probes: [string, Record<string, unknown>?][] = [
      [`query($id: ID!) { ${p}: organization(id: $id) { id name } }`, { id: them.orgId }],
      [`{ ${p}: teams(orgId: "${them.orgId}") { nodes { id name } } }`],
      [`{ ${p}: virtualKeys(orgId: "${them.orgId}", first: 50) { nodes { id name } } }`],
      [`{ ${p}: adminUsers(orgId: "${them.orgId}") { nodes { id email } } }`],
      [`{ ${p}: auditEvents(orgId: "${them.orgId}") { nodes { id action } } }`],
      [
        `query($o: ID, $f: DateTime!, $t: DateTime!) { ${p}: usageTotals(orgId: $o, from: $f, to: $t) { requests } }`,
        { o: them.orgId, f: window.from, t: window.to },
      ],
      [
        `mutation($i: CreateTeamInput!) { ${p}: createTeam(input: $i) { id } }`,
        { i: { name: 'x', orgId: them.orgId } },
      ],
      [`{ ${p}: team(id: "${them.teamId}") { id name } }`],
      [`mutation { ${p}: revokeVirtualKey(id: "${them.keyId}") { id } }`],
      [`{ ${p}: organization(id: "${randomUUID()}") { id name teams { nodes { id } } } }`],
      [`{ ${p}: virtualKey(id: "${randomUUID()}") { id name } }`],
    ];
    const [query, variables] = pick(rand, probes);
    await op('cross-tenant', me.session, query, variables);
  };

  /** What an org admin's pages ask for. */
  const ownReads: Op = async (rand) => {
    const me = pick(rand, tenants);
    const reads: [string, Record<string, unknown>?][] = [
      ['{ me { email role } }'],
      [
        'query($id: ID!) { organization(id: $id) { id name teams(first: 20) { nodes { id name users { nodes { id } } } } } }',
        { id: me.orgId },
      ],
      [
        'query($o: ID, $f: DateTime!, $t: DateTime!) { usageSeries(orgId: $o, from: $f, to: $t, bucket: HOUR) { nodes { bucketStart requests } } }',
        { o: me.orgId, f: window.from, t: window.to },
      ],
      ['query($o: ID) { virtualKeys(orgId: $o, first: 20) { nodes { id name status } } }', { o: me.orgId }],
    ];
    const [query, variables] = pick(rand, reads);
    await op('own-reads', me.session, query, variables);
  };

  /** Operations that must be refused before anything runs. */
  const malformed: Op = async (rand) => {
    const token = pick(rand, [undefined, cp.adminToken, pick(rand, tenants).session]);
    const n = Math.floor(rand() * 1e9);
    const bodies: (() => Promise<void>)[] = [
      () => op('malformed', token, `{ organizations { nodes { id ${n} `),
      () => op('malformed', token, `query Q${n} { nope${n} }`),
      () => op('malformed', token, 'query($id: ID!) { organization(id: $id) { id } }', { id: { deep: [n] } }),
      () => op('malformed', token, 'query($n: Int!) { organizations(first: $n) { nodes { id } } }'),
      () => op('malformed', token, `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: me { email }`).join(' ')} }`),
      () =>
        op(
          'malformed',
          token,
          `{ organizations(first: 100) { nodes { teams(first: 100) { nodes { users(first: 100) { nodes { id } } } } } } }`,
        ),
      () => op('malformed', token, `subscription { usageUpdates { orgId } }`),
      () => post('malformed', token, `{"query": "{ me { email } }", "variables": ${'['.repeat(64)}${']'.repeat(64)}}`),
      () => post('malformed', token, `{not json ${n}`),
      () => post('malformed', token, `[{"query":"{ me { email } }"},{"query":"{ nope }"}]`),
      () => post('malformed', token, `query=${n}`, 'application/x-www-form-urlencoded'),
      () => post('malformed', token, ''),
    ];
    await pick(rand, bodies)();
  };

  /** Automatic persisted queries: unknown hashes, and new queries registered with their hash. */
  const persisted: Op = async (rand) => {
    const token = pick(rand, tenants).session;
    if (rand() < 0.5) {
      await post(
        'persisted',
        token,
        JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(String(rand())) } } }),
      );
      return;
    }
    const query = `{ me { email } o${Math.floor(rand() * 1e9)}: me { role } }`;
    await post(
      'persisted',
      token,
      JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }),
    );
  };

  /** Guessing passwords: unknown emails, and known ones (which the throttle then refuses). */
  const failedLogin: Op = async (rand) => {
    const email = rand() < 0.5 ? pick(rand, tenants).adminEmail : `guess-${Math.floor(rand() * 1e9)}@example.com`;
    await op(
      'failed-login',
      undefined,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      {
        e: email,
        p: `guess ${rand()}`,
      },
    );
  };

  /** A data plane's usage: valid records of every org, and a few invalid ones the batch rejects alone. */
  const ingest: Op = async (rand) => {
    const records = Array.from({ length: 20 }, (_, i) => {
      const t = pick(rand, tenants);
      return {
        requestId: randomUUID(),
        ts: new Date().toISOString(),
        nodeId: 'load-dp',
        orgId: t.orgId,
        teamId: t.teamId,
        userId: null,
        keyId: t.keyId,
        model: i === 0 ? 'x'.repeat(300) : 'gpt-load',
        provider: 'openai',
        upstreamModel: 'fixture-model',
        inputTokens: Math.floor(rand() * 1000),
        outputTokens: Math.floor(rand() * 1000),
        cachedInputTokens: 0,
        costUsd: rand() / 100,
        latencyMs: 10,
        overheadMs: 1,
        status: 200,
        errorCode: null,
        stream: false,
      };
    });
    await op(
      'ingest',
      cp.dataPlaneToken,
      'mutation($b: JSON!) { ingestUsage(batch: $b) { accepted rejected { index } } }',
      {
        b: { records },
      },
    );
  };

  const httpOps: [Op, number][] = [
    [crossTenant, 30],
    [ownReads, 15],
    [malformed, 25],
    [persisted, 10],
    [failedLogin, 8],
    [ingest, 12],
  ];
  const totalWeight = httpOps.reduce((s, [, w]) => s + w, 0);
  const chooseHttp = (rand: () => number): Op => {
    let x = rand() * totalWeight;
    for (const [o, w] of httpOps) {
      x -= w;
      if (x < 0) return o;
    }
    return httpOps[0][0];
  };

  /** Subscriptions opened and closed every way a client can: completed, cut, refused, refused mid-way. */
  const wsRound = async (rand: () => number) => {
    const t = pick(rand, tenants);
    const kind = Math.floor(rand() * 5);
    count(`ws-${['usage', 'cross-tenant', 'bad-token', 'config-sync', 'garbage'][kind]}`);
    if (kind === 2) {
      await connectGqlSocket(cp.graphqlUrl, `Bearer nope-${rand()}`).then(
        (s) => s.close(),
        () => {},
      );
      return;
    }
    const token = kind === 3 ? cp.dataPlaneToken : t.session;
    const socket = await connectGqlSocket(cp.graphqlUrl, `Bearer ${token}`);
    try {
      if (kind === 0) {
        const pending = socket.subscribe('u', 'subscription($o: ID) { usageUpdates(orgId: $o) { orgId requests } }', {
          o: t.orgId,
        });
        // Let ingestion deliver something now and then, then complete (or just leave) without waiting for it.
        await Promise.race([pending, new Promise((r) => setTimeout(r, 50 + rand() * 200))]);
        if (rand() < 0.5) socket.complete('u');
      } else if (kind === 1) {
        await socket.subscribe('x', 'subscription($o: ID) { usageUpdates(orgId: $o) { orgId } }', {
          o: other(rand, t).orgId,
        });
      } else if (kind === 3) {
        await socket.subscribe('c', 'subscription($n: String!) { configSync(nodeId: $n) }', {
          n: `load-node-${Math.floor(rand() * 4)}`,
        });
      } else {
        socket.subscribe('g', `subscription { ${'{'.repeat(20)} }`).catch(() => {});
        await socket.subscribe('h', 'query { me { email } }');
      }
    } finally {
      await socket.close();
    }
  };

  let running = true;
  const loop = async (seed: number, body: (rand: () => number) => Promise<void>) => {
    const rand = prng(seed);
    while (running) {
      try {
        await body(rand);
      } catch (err) {
        fault(stats.transportErrors, String(err));
      }
    }
  };
  const workers = opts.workers ?? 4;
  const loops = [
    ...Array.from({ length: workers }, (_, i) => loop(opts.seed + i, (rand) => chooseHttp(rand)(rand))),
    loop(opts.seed + workers, wsRound),
  ];
  return {
    stats,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return stats;
    },
  };
}
