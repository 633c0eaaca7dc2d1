// MikroORM setup for PostgreSQL: the modules' entities (modules/index.ts), compiled-in migrations, and the start-up
// migration run.

import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { entities } from '../modules/index.ts';
import { connectTimeoutMs } from './connection.ts';
import { withMigrationLock } from './migration-lock.ts';
import { migrationsList } from './migrations/index.ts';

export type Orm = MikroORM;

export type Em = EntityManager;

export async function createOrm(databaseUrl: string, logger: Logger): Promise<Orm> {
  const orm = await MikroORM.init(
    defineConfig({
      clientUrl: databaseUrl,
      entities: [...entities],
      extensions: [Migrator],
      migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
      pool: { min: 0, max: 10 },
      driverOptions: { connectionTimeoutMillis: connectTimeoutMs },
      // Forking per request is explicit (context.ts); the global EM must never be used for queries.
      allowGlobalContext: false,
      debug: false,
      logger: (message) => logger.debug({ orm: message }, 'orm'),
    }),
  );
  return orm;
}

/**
 * Applies pending migrations; the schema is never synchronised from entities. Replicas starting or upgrading
 * together take turns (migration-lock.ts): the first applies what is pending, the others then find nothing to do.
 */
export async function migrate(orm: Orm, logger: Logger): Promise<void> {
  const applied = await withMigrationLock(orm.config.get('clientUrl')!, logger, () => orm.migrator.up());
  if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
}

/** How long closing waits for queries still running (a resolver that outlived its failed request, say). */
const quietTimeoutMs = 5_000;

/**
 * Closes the ORM once no query holds or awaits a pooled connection, waiting at most `quietTimeoutMs`.
 * Why wait: kysely 0.29's PostgresDriver reads its pool again right after `pool.connect()` resolves; when the ORM
 * is closed in between, that read throws, the fresh client is never released and `pool.end()` never resolves, so
 * shutdown would hang on a query that was merely in flight.
 */
export async function closeOrm(orm: Orm): Promise<void> {
  const pool = await orm.em.getConnection().getNativeClient();
  const deadline = Date.now() + quietTimeoutMs;
  while (Date.now() < deadline && (pool.totalCount > pool.idleCount || pool.waitingCount > 0)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await orm.close(true);
}
