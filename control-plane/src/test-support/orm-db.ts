// A fresh database with an ORM on it but no migrations run, for one test file (or describe block): for migration
// tests that migrate step by step, and tests that need only the ORM. Closed and dropped afterwards.
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createOrm, type Orm } from '../db/orm.ts';
import { createTestDatabase, type TestDatabase } from './test-db.ts';

export interface OrmDatabase {
  db: TestDatabase;
  orm: Orm;
  /** Migrates up to and including the named migration (all pending ones when omitted). */
  migrateUp(to?: string): Promise<void>;
  /** Migrates down until the named migration is the last one applied. */
  migrateDown(to: string): Promise<void>;
}

/** Set in beforeAll: read `db` and `orm` from the returned object inside hooks and tests. */
export function useOrmDatabase(): OrmDatabase {
  const ctx: OrmDatabase = {
    db: undefined as unknown as TestDatabase,
    orm: undefined as unknown as Orm,
    async migrateUp(to) {
      await ctx.orm.migrator.up(to === undefined ? undefined : { to });
    },
    async migrateDown(to) {
      await ctx.orm.migrator.down({ to });
    },
  };
  beforeAll(async () => {
    ctx.db = await createTestDatabase();
    ctx.orm = await createOrm(ctx.db.url, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await ctx.orm?.close();
    await ctx.db?.drop();
  });
  return ctx;
}
