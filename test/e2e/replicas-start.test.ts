// Control-plane replicas started at the same moment on a fresh database: every one comes up (migrations and the
// first-admin seed run once between them) and each serves the same schema.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../harness/control-plane.ts';
import { gql } from '../harness/gql.ts';
import { startPostgres, type TestDatabase } from '../harness/postgres.ts';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.ts';
import { Teardown } from '../harness/teardown.ts';
import { waitFor } from '../harness/wait.ts';

const replicas = 4;
const seedAdmin = { SEED_ADMIN_EMAIL: 'first@example.com', SEED_ADMIN_PASSWORD: 'first admin password' };
const secrets = {
  adminToken: `gw-admin-${randomBytes(16).toString('hex')}`,
  dataPlaneToken: `gw-dp-${randomBytes(16).toString('hex')}`,
  masterKey: randomBytes(32).toString('base64'),
};

const td = new Teardown();
let db: TestDatabase;
/** Between the replicas and PostgreSQL: holds their first connections so that they all start migrating at once. */
let gate: TcpProxy;

beforeAll(async () => {
  db = td.add(await startPostgres(), (d) => d.stop(), 'postgres');
  const { hostname, port } = new URL(db.url);
  gate = td.add(await startTcpProxy({ host: hostname, port: Number(port) }), (p) => p.close(), 'gate');
});
afterAll(() => td.run());

describe('replicas starting together', () => {
  it(`${replicas} control planes on a fresh database all start; each migration is applied once`, async () => {
    gate.setMode('held');
    const starting = Promise.allSettled(
      Array.from({ length: replicas }, (_, i) =>
        startControlPlane({ databaseUrl: gate.via(db.url), name: `replicas-start-${i}`, env: seedAdmin, secrets }),
      ),
    );
    // Each replica's start waits on its first connection, so `replicas` held connections mean all are at the line.
    await waitFor('every replica to reach the database', () => gate.accepted >= replicas, {
      timeoutMs: 60_000,
    });
    gate.setMode('open');
    const started = await starting;
    const cps: ControlPlane[] = [];
    for (const r of started) if (r.status === 'fulfilled') cps.push(td.add(r.value, (c) => c.dispose(), 'cp'));
    const failures = started.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failures).toEqual([]);

    const { rows } = await db.pool.query<{ name: string; times: number }>(
      'select name, count(*)::int as times from mikro_orm_migrations group by name order by name',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.times !== 1)).toEqual([]);
    const admins = await db.pool.query('select email from admin_users');
    expect(admins.rows).toEqual([{ email: seedAdmin.SEED_ADMIN_EMAIL }]);

    for (const cp of cps) {
      const login = await gql<{ login: { admin: { email: string } } }>(
        cp.graphqlUrl,
        undefined,
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { admin { email } } }',
        { e: seedAdmin.SEED_ADMIN_EMAIL, p: seedAdmin.SEED_ADMIN_PASSWORD },
      );
      expect(login.login.admin.email).toBe(seedAdmin.SEED_ADMIN_EMAIL);
    }
  });
});
