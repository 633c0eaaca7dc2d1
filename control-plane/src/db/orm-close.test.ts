// Closing the ORM while queries are still acquiring pooled connections must finish and must not fail those queries.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.ts';
import { closeOrm, createOrm } from './orm.ts';

describe('closeOrm', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('waits for queries in flight, even those still connecting, then closes', async () => {
    for (let round = 0; round < 5; round += 1) {
      const orm = await createOrm(db.url, pino({ level: 'silent' }));
      // One warm connection, then a burst: most of these open new connections while the close begins.
      await orm.em.fork().execute('select 1');
      const queries = Array.from({ length: 8 }, () => orm.em.fork().execute('select pg_sleep(0.02) as slept'));
      const closed = closeOrm(orm).then(() => 'closed');
      const timeout = new Promise((resolve) => setTimeout(() => resolve('hung'), 8_000).unref());
      expect(await Promise.race([closed, timeout])).toBe('closed');
      const results = await Promise.allSettled(queries);
      expect(results.map((r) => r.status)).toEqual(Array(8).fill('fulfilled'));
    }
  }, 60_000);
});
