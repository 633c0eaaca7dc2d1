// A PostgreSQL advisory lock that lets any number of replicas start, or upgrade, on one database at the same time.
import type { Logger } from '../logger.ts';
import { dedicatedClient } from './connection.ts';

/** The lock's key; advisory lock keys are global to the database, so this one is used for nothing else. */
export const migrationLockKey = 4_157_312;

/**
 * Runs `fn` while holding the migration lock. The lock is session-level and lives on a connection of its own, not
 * on one of the ORM's pool: the migrator commits (and returns connections to the pool) as it goes, while the lock
 * must stay held until every migration is recorded. A replica that dies while holding it drops its connection, and
 * PostgreSQL releases the lock with it, so a crash never leaves the others waiting.
 */
export async function withMigrationLock<T>(databaseUrl: string, logger: Logger, fn: () => Promise<T>): Promise<T> {
  const client = dedicatedClient(databaseUrl);
  // A connection lost while waiting or migrating fails the query in progress; this only keeps the error from
  // being thrown a second time as an unhandled 'error' event.
  client.on('error', () => {});
  await client.connect();
  try {
    const [{ locked }] = (
      await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [migrationLockKey])
    ).rows;
    if (!locked) {
      logger.info('another replica is migrating the database: waiting for it');
      await client.query('select pg_advisory_lock($1)', [migrationLockKey]);
    }
    try {
      return await fn();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}
