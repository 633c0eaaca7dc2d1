// A fresh PostgreSQL database per test file, dropped afterwards (TEST_DATABASE_URL names the admin connection).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  /** Runs SQL directly, outside the app (to inspect rows or break things on purpose). */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `gw_cp_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // DROP ... WITH (FORCE) terminates connections that are still closing; that is expected during teardown.
  pool.on('error', () => {});
  return {
    url: url.toString(),
    async query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]) {
      return (await pool.query<T>(sql, params)).rows;
    },
    async drop() {
      await pool.end();
      await withAdmin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}
