// The harness's own building blocks: fresh databases (embedded and on a given server) and managed processes.
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../harness/ports.ts';
import { startPostgres, type TestDatabase } from '../harness/postgres.ts';
import { ManagedProcess } from '../harness/process.ts';
import { Teardown } from '../harness/teardown.ts';
import { httpStatus } from '../harness/wait.ts';

const td = new Teardown();
afterAll(() => td.run());

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

describe('harness: postgres', () => {
  it('creates a fresh database, another one on the same server, and drops/stops them', async () => {
    const outer: TestDatabase = td.add(await startPostgres({ adminUrl: process.env.TEST_DATABASE_URL }), (d) =>
      d.stop(),
    );
    const { rows } = await outer.pool.query<{ db: string }>('select current_database() as db');
    expect(rows[0].db).toBe(outer.name);
    expect(outer.name).toMatch(/^gw_test_[0-9a-f]{12}$/);

    const inner = await startPostgres({ adminUrl: outer.adminUrl });
    expect(inner.name).not.toBe(outer.name);
    await inner.pool.query('create table t (id int primary key)');
    await inner.stop();
    const gone = await outer.pool.query('select 1 from pg_database where datname = $1', [inner.name]);
    expect(gone.rowCount).toBe(0);
  });

  it('starts and stops an embedded cluster when no server is given', async () => {
    const saved = process.env.TEST_DATABASE_URL;
    delete process.env.TEST_DATABASE_URL;
    let db: TestDatabase;
    try {
      db = await startPostgres();
    } finally {
      if (saved !== undefined) process.env.TEST_DATABASE_URL = saved;
    }
    td.add(db, (d) => d.stop());
    expect(new URL(db.adminUrl).port).not.toBe('5432');
    expect(await canConnect(db.url)).toBe(true);
    await db.stop();
    expect(await canConnect(db.adminUrl)).toBe(false);
  }, 120_000);
});

describe('harness: managed process', () => {
  it('spawns with this Node, waits for health, logs, stops, restarts on the same port', async () => {
    const port = await freePort();
    const proc = td.add(
      new ManagedProcess({
        name: 'unit-fixture',
        args: [fileURLToPath(new URL('../fixture/main.ts', import.meta.url)), '--port', String(port)],
        env: {},
        healthUrl: `http://127.0.0.1:${port}/healthz`,
      }),
      (p) => p.dispose(),
    );
    await proc.start();
    expect(proc.running).toBe(true);
    expect(proc.output().join('\n')).toContain(`"url":"http://127.0.0.1:${port}/v1"`);
    expect(await proc.stop()).toBe(0);
    expect(await httpStatus(`http://127.0.0.1:${port}/healthz`, 500)).toBeUndefined();
    await proc.start();
    expect(await httpStatus(`http://127.0.0.1:${port}/healthz`)).toBe(200);
    expect(await proc.kill()).toBeNull();
    expect(proc.running).toBe(false);
  });

  it('reports the log tail when the process dies before it is healthy', async () => {
    const proc = new ManagedProcess({
      name: 'unit-bad-fixture',
      args: [fileURLToPath(new URL('../fixture/main.ts', import.meta.url)), '--port', 'nope'],
      env: {},
      healthUrl: 'http://127.0.0.1:9/healthz',
    });
    await expect(proc.start()).rejects.toThrow(/exited \(code 1\) before it was healthy:\n--port must be an integer/);
    await proc.dispose();
  });
});
