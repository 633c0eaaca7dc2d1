// The scale-out topology as processes on loopback: nginx in front of three data planes, two control-plane replicas on
// one PostgreSQL, data planes spread over both replicas (each through an nginx listener whose backup is the other
// replica). Load goes through the balancer with the official SDK while a data plane and then a replica are killed.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../harness/control-plane.ts';
import { type DataPlane, startDataPlane } from '../harness/data-plane.ts';
import { type FixtureProcess, startFixtureProcess } from '../harness/fixture-process.ts';
import { type Gql, gqlClient } from '../harness/gql.ts';
import { freePort } from '../harness/ports.ts';
import { startPostgres, type TestDatabase } from '../harness/postgres.ts';
import { type CreatedKey, createKey, revokeKey, type Seeded, seed } from '../harness/seed.ts';
import { Teardown } from '../harness/teardown.ts';
import { httpStatus, sleep, waitFor } from '../harness/wait.ts';
import { diffIds, expectExactlyOnce } from './exactly-once.ts';
import { fixtureApiKey } from './stack.ts';

const td = new Teardown();
let db: TestDatabase;
let fixture: FixtureProcess;
let cpA: ControlPlane;
let cpB: ControlPlane;
let adminA: Gql;
let adminB: Gql;
let seeded: Seeded;
let dps: DataPlane[];
let nginx: ChildProcess;
let nginxLog = '';
const ports = { gateway: 0, viaA: 0, viaB: 0 };
const nginxDir = mkdtempSync(join(tmpdir(), 'gw-topology-nginx-'));

/**
 * nginx: `gateway` balances the three data planes; `viaA` sends to replica A with B as backup, `viaB` the reverse
 * (graphql-ws included), so that a data plane follows its replica and moves to the other when it dies.
 */
function nginxConf(): string {
  const cp = (primary: ControlPlane, backup: ControlPlane, port: number) => `
  upstream cp_${port} {
    server 127.0.0.1:${primary.port} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${backup.port} backup;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://cp_${port};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 3600s;
      proxy_next_upstream error timeout http_502;
      proxy_connect_timeout 1s;
    }
  }`;
  return `
daemon off;
worker_processes 1;
pid ${nginxDir}/nginx.pid;
error_log stderr notice;
events { worker_connections 1024; }
http {
  access_log off;
  client_max_body_size 16m;
  client_body_temp_path ${nginxDir}/tmp/body;
  proxy_temp_path ${nginxDir}/tmp/proxy;
  fastcgi_temp_path ${nginxDir}/tmp/fastcgi;
  uwsgi_temp_path ${nginxDir}/tmp/uwsgi;
  scgi_temp_path ${nginxDir}/tmp/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
  upstream data_planes {
${dps.map((dp) => `    server 127.0.0.1:${dp.port} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${ports.gateway};
    location / {
      proxy_pass http://data_planes;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 1s;
    }
  }
${cp(cpA, cpB, ports.viaA)}
${cp(cpB, cpA, ports.viaB)}
}
`;
}

/** Lines of a replica's log that say a data plane subscribed, from now on. */
function subscriptions(cp: ControlPlane): { nodes: () => Set<string>; stop: () => void } {
  const seen = new Set<string>();
  const stop = cp.process.onLine((line) => {
    if (!line.includes('"data plane subscribed"')) return;
    const nodeId = (JSON.parse(line) as { nodeId?: string }).nodeId;
    if (nodeId) seen.add(nodeId);
  });
  return { nodes: () => seen, stop };
}

async function startNginx(): Promise<void> {
  // As root, nginx's workers run as nobody: they must be able to write request bodies (usage batches) to temp files.
  chmodSync(nginxDir, 0o755);
  mkdirSync(join(nginxDir, 'tmp'), { recursive: true, mode: 0o777 });
  chmodSync(join(nginxDir, 'tmp'), 0o777);
  writeFileSync(join(nginxDir, 'nginx.conf'), nginxConf());
  const check = spawnSync('nginx', ['-t', '-p', nginxDir, '-c', join(nginxDir, 'nginx.conf')], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t failed (apt-get install nginx):\n${check.stderr}`);
  nginx = spawn('nginx', ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  nginx.stderr?.on('data', (b: Buffer) => (nginxLog += b.toString()));
  await waitFor('nginx to listen', async () => (await httpStatus(`http://127.0.0.1:${ports.viaA}/healthz`)) === 200, {
    timeoutMs: 10_000,
    intervalMs: 50,
  });
}

beforeAll(async () => {
  try {
    db = td.add(await startPostgres(), (d) => d.stop(), 'postgres');
    fixture = td.add(await startFixtureProcess({ apiKey: fixtureApiKey, name: 'topology-fixture' }), (f) =>
      f.dispose(),
    );
    cpA = td.add(await startControlPlane({ databaseUrl: db.url, name: 'topology-cp-a' }), (c) => c.dispose());
    const secrets = { adminToken: cpA.adminToken, dataPlaneToken: cpA.dataPlaneToken, masterKey: cpA.masterKey };
    cpB = td.add(await startControlPlane({ databaseUrl: db.url, name: 'topology-cp-b', secrets }), (c) => c.dispose());
    adminA = gqlClient(cpA.graphqlUrl, cpA.adminToken);
    adminB = gqlClient(cpB.graphqlUrl, cpB.adminToken);
    seeded = await seed(adminA, { fixtureUrl: fixture.url, fixtureApiKey });
    for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
    // Data planes know only their nginx listener: dp1 and dp3 follow replica A, dp2 follows replica B.
    const via = [ports.viaA, ports.viaB, ports.viaA];
    const dpPorts = await Promise.all(via.map(() => freePort()));
    dps = dpPorts.map((port, i) => ({ port, nodeId: `topology-dp${i + 1}` }) as DataPlane);
    await startNginx();
    td.add(nginx, (n) => {
      n.kill('SIGQUIT');
      rmSync(nginxDir, { recursive: true, force: true });
    });
    const subsA = subscriptions(cpA);
    const subsB = subscriptions(cpB);
    dps = await Promise.all(
      via.map(async (p, i) =>
        td.add(
          await startDataPlane({
            controlPlaneUrl: `http://127.0.0.1:${p}`,
            dataPlaneToken: cpA.dataPlaneToken,
            nodeId: `topology-dp${i + 1}`,
            port: dpPorts[i],
            env: { USAGE_FLUSH_MS: '100' },
          }),
          (d) => d.dispose(),
        ),
      ),
    );
    await waitFor('dp1 and dp3 on replica A, dp2 on replica B', () =>
      ['topology-dp1', 'topology-dp3'].every((n) => subsA.nodes().has(n)) && subsB.nodes().has('topology-dp2')
        ? true
        : undefined,
    );
    subsA.stop();
    subsB.stop();
  } catch (e) {
    await td.run().catch((t: Error) => console.error(t.message));
    throw e;
  }
}, 120_000);
afterAll(() => td.run());

const balanced = (apiKey: string) =>
  new OpenAI({ apiKey, baseURL: `http://127.0.0.1:${ports.gateway}/v1`, maxRetries: 0, timeout: 10_000 });
const direct = (dp: DataPlane, apiKey: string) => new OpenAI({ apiKey, baseURL: dp.baseURL, maxRetries: 0 });

type Outcome = { ok: true; requestId: string; at: number } | { ok: false; status: number | undefined; at: number };

async function call(client: OpenAI): Promise<Outcome> {
  const at = performance.now();
  try {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-fixture', messages: [{ role: 'user', content: 'ping' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('You said: ping');
    return { ok: true, requestId: response.headers.get('x-request-id') ?? '', at };
  } catch (e) {
    if (e instanceof OpenAI.APIError) return { ok: false, status: e.status, at };
    throw e;
  }
}

/** `concurrency` SDK callers through the balancer until `until` resolves; every outcome with its start time. */
async function loadUntil(client: OpenAI, concurrency: number, until: Promise<unknown>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let done = false;
  void until.finally(() => (done = true));
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!done) outcomes.push(await call(client));
    }),
  );
  return outcomes;
}

/** Whether the node accepts the key; the request ids of accepted probes go to `ids` (they are billed too). */
async function accepts(dp: DataPlane, key: CreatedKey, ids?: string[]): Promise<boolean> {
  try {
    const { response } = await direct(dp, key.secret)
      .chat.completions.create({ model: 'gpt-fixture', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    ids?.push(response.headers.get('x-request-id') ?? '');
    return true;
  } catch (e) {
    if (e instanceof OpenAI.AuthenticationError) return false;
    throw e;
  }
}

async function enforcedEverywhere(key: CreatedKey, want: boolean, live: DataPlane[], ids?: string[]): Promise<void> {
  await Promise.all(
    live.map((dp) =>
      waitFor(
        `${dp.nodeId} to ${want ? 'accept' : 'refuse'} ${key.prefix}`,
        async () => ((await accepts(dp, key, ids)) === want ? true : undefined),
        { timeoutMs: 5_000, intervalMs: 20 },
      ),
    ),
  );
}

/** Request id -> rows, for one key's usage. */
async function usageOfKey(keyId: string): Promise<Map<string, number>> {
  const { rows } = await db.pool.query<{ request_id: string; n: number }>(
    'select request_id, count(*)::int as n from usage_records where key_id = $1 group by request_id',
    [keyId],
  );
  return new Map(rows.map((r) => [r.request_id, r.n]));
}

describe('scale-out topology: nginx, three data planes, two control-plane replicas', () => {
  it('spreads load sent through the balancer over all three data planes', async () => {
    const key = await createKey(adminA, { orgId: seeded.org.id, teamId: seeded.team.id, name: 'spread' });
    await enforcedEverywhere(key, true, dps);
    const client = balanced(key.secret);
    const outcomes = await loadUntil(client, 3, sleep(1_000));
    const ids = outcomes.flatMap((o) => (o.ok ? [o.requestId] : []));
    expect(ids.length).toBe(outcomes.length);
    const nodes = await waitFor('usage from all three nodes', async () => {
      const { rows } = await db.pool.query<{ node_id: string }>(
        'select distinct node_id from usage_records where request_id = any($1::text[])',
        [ids],
      );
      return rows.length === 3 ? rows.map((r) => r.node_id).sort() : undefined;
    });
    expect(nodes).toEqual(['topology-dp1', 'topology-dp2', 'topology-dp3']);
  });

  it('enforces a key revoked on replica B on every data plane, those of replica A included', async () => {
    const key = await createKey(adminA, { orgId: seeded.org.id, teamId: seeded.team.id, name: 'revoke-on-b' });
    await enforcedEverywhere(key, true, dps);
    await revokeKey(adminB, key.id);
    await enforcedEverywhere(key, false, dps);
    const err = await balanced(key.secret)
      .chat.completions.create({ model: 'gpt-fixture', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('routes around a data plane that is killed: only requests in flight on it fail', async () => {
    const dp3 = dps[2];
    let killedAt = 0;
    let goneAt = 0;
    const kill = sleep(700).then(async () => {
      killedAt = performance.now();
      await dp3.process.stop('SIGKILL');
      goneAt = performance.now();
      await sleep(1_500);
    });
    try {
      const outcomes = await loadUntil(balanced(seeded.key.secret), 6, kill);
      const after = outcomes.filter((o) => o.at > goneAt);
      const failed = outcomes.filter((o) => !o.ok);
      const when = (o: Outcome) => `${o.ok ? 'ok' : o.status} at ${(o.at - killedAt).toFixed(1)} ms`;
      console.log(
        `dp3 killed: ${outcomes.length} requests, ${after.length} sent after it was gone; failed: ${failed.map(when).join(', ') || 'none'}`,
      );
      expect(after.length).toBeGreaterThan(20);
      // Once the process is gone nginx finds its connections refused and sends the requests elsewhere.
      expect(after.filter((o) => !o.ok).map(when)).toEqual([]);
      // Before that, only requests on dp3 when it died can fail (nginx never resends a POST a node has seen).
      expect(failed.length).toBeLessThanOrEqual(6);
      for (const f of failed) expect(f).toMatchObject({ status: 502 });
    } finally {
      await dp3.restart();
      await dp3.waitReady();
    }
  });

  it('moves the data planes of a killed replica to the other, with no failed request and usage counted once', async () => {
    const key = await createKey(adminA, { orgId: seeded.org.id, teamId: seeded.team.id, name: 'replica-kill' });
    const probes: string[] = [];
    await enforcedEverywhere(key, true, dps, probes);
    const subsB = subscriptions(cpB);
    const kill = sleep(700).then(async () => {
      await cpA.process.stop('SIGKILL');
      await waitFor(
        'dp1 and dp3 to subscribe to replica B',
        () => (['topology-dp1', 'topology-dp3'].every((n) => subsB.nodes().has(n)) ? true : undefined),
        { timeoutMs: 20_000, intervalMs: 50 },
      );
      await sleep(500);
    });
    const outcomes = await loadUntil(balanced(key.secret), 6, kill);
    subsB.stop();
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(20);

    // They follow replica B now: a change made there reaches them.
    const late = await createKey(adminB, { orgId: seeded.org.id, teamId: seeded.team.id, name: 'after-kill' });
    await enforcedEverywhere(late, true, dps);

    const seen = [...probes, ...outcomes.flatMap((o) => (o.ok ? [o.requestId] : []))];
    await waitFor(
      'every request of the phase in usage_records',
      async () => {
        const stored = await usageOfKey(key.id);
        return seen.every((id) => stored.has(id)) ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    await sleep(1_000); // a late duplicate would show up now
    const diff = diffIds(seen, await usageOfKey(key.id));
    expectExactlyOnce(diff);
    expect(nginxLog).not.toContain('[emerg]');
  });
});
