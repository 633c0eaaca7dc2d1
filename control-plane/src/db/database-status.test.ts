// Which real failures count as "the database cannot be reached" (an outage, logged once) and which are ordinary
// query errors that must still be reported as such.

import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.ts';
import { isConnectionError } from './database-status.ts';
import { closeOrm, createOrm, type Orm } from './orm.ts';

const silent = pino({ level: 'silent' });
/** Port 9 (discard) listens nowhere here: connecting is refused. */
const nowhere = 'postgres://postgres@127.0.0.1:9/nowhere';

let db: TestDatabase;
let orm: Orm;
beforeAll(async () => {
  db = await createTestDatabase();
  orm = await createOrm(db.url, silent);
});
afterAll(async () => {
  await closeOrm(orm);
  await db.drop();
});

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

/** A session the server ends (pg_terminate_backend), then used: what a restarting database does to open ones. */
async function terminatedSession(): Promise<unknown> {
  const client = new pg.Client({ connectionString: db.url });
  client.on('error', () => {});
  await client.connect();
  const [{ pid }] = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
  await db.query('select pg_terminate_backend($1)', [pid]);
  return failure(() => client.query('select 1'));
}

/** On a connection of its own: the setting must not stay behind on one of the ORM's pooled connections. */
async function statementTimeout(): Promise<unknown> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query('set statement_timeout = 1');
    return await failure(() => client.query('select pg_sleep(1)'));
  } finally {
    await client.end();
  }
}

const sql = (text: string) => () => failure(() => orm.em.fork().execute(text));

describe('isConnectionError', () => {
  it.each([
    [
      'a refused connection, through the ORM',
      () => failure(() => createOrm(nowhere, silent).then((o) => o.em.fork().execute('select 1'))),
    ],
    ['a refused connection, plain pg', () => failure(() => new pg.Client({ connectionString: nowhere }).connect())],
    ['a session the server terminated', terminatedSession],
  ])('%s is one', async (_name, error) => {
    expect(isConnectionError(await error())).toBe(true);
  });

  it.each([
    ['a syntax error', sql('selec 1')],
    ['a unique violation', sql('create temp table t (a int primary key); insert into t values (1), (1)')],
    ['a value PostgreSQL refuses', sql("select 'x'::int")],
    ['a statement timeout', statementTimeout],
    ['an error of the code', async () => new TypeError('undefined is not a function')],
  ])('%s is not', async (_name, error) => {
    expect(isConnectionError(await error())).toBe(false);
  });
});
