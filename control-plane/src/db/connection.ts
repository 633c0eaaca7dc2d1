// Connection settings shared by the ORM's pool and the connections held outside it (LISTEN, the migration lock).
import pg from 'pg';

/**
 * How long opening a database connection may take before whatever waits for it fails. pg waits forever by default:
 * behind a network that drops packets, each request would hang until the operating system gave up (minutes).
 */
export const connectTimeoutMs = 10_000;

/** A connection of its own, outside the pool, for work that holds a session (LISTEN, a session-level lock). */
export function dedicatedClient(databaseUrl: string): pg.Client {
  return new pg.Client({ connectionString: databaseUrl, keepAlive: true, connectionTimeoutMillis: connectTimeoutMs });
}
