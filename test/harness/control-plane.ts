// Runs the real control plane (`node control-plane/dist/main.js`) on a chosen port, stoppable and restartable there.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { controlPlaneMain } from './paths.ts';
import { freePort } from './ports.ts';
import { ManagedProcess } from './process.ts';

export interface ControlPlane {
  /** http://127.0.0.1:PORT (no path). */
  url: string;
  graphqlUrl: string;
  port: number;
  adminToken: string;
  dataPlaneToken: string;
  masterKey: string;
  process: ManagedProcess;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<number | null>;
  /** Start again on the same port with the same secrets and database. */
  restart(): Promise<void>;
  /** Stop for good (idempotent). */
  dispose(): Promise<void>;
}

export interface ControlPlaneOptions {
  databaseUrl: string;
  /** Log file name; default `control-plane`. */
  name?: string;
  port?: number;
  /** Extra environment (LOG_LEVEL, SEED_ADMIN_EMAIL, ...). */
  env?: Record<string, string>;
  cpuCore?: number;
  /** How long a start may take until /readyz answers (default 60 s; the scale benchmark's 100,000 keys need more). */
  startTimeoutMs?: number;
  /** Reuse another replica's secrets (same MASTER_KEY to open sealed credentials, same tokens); default random. */
  secrets?: Partial<ControlPlaneSecrets>;
}

export interface ControlPlaneSecrets {
  adminToken: string;
  dataPlaneToken: string;
  masterKey: string;
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  if (!existsSync(controlPlaneMain)) {
    throw new Error(`${controlPlaneMain} is missing: build it first (pnpm --filter @gw/control-plane run build)`);
  }
  const port = opts.port ?? (await freePort());
  const adminToken = opts.secrets?.adminToken ?? `gw-admin-${randomBytes(16).toString('hex')}`;
  const dataPlaneToken = opts.secrets?.dataPlaneToken ?? `gw-dp-${randomBytes(16).toString('hex')}`;
  const masterKey = opts.secrets?.masterKey ?? randomBytes(32).toString('base64');
  const url = `http://127.0.0.1:${port}`;
  const proc = new ManagedProcess({
    name: opts.name ?? 'control-plane',
    args: [controlPlaneMain],
    env: {
      DATABASE_URL: opts.databaseUrl,
      CP_HOST: '127.0.0.1',
      CP_PORT: String(port),
      MASTER_KEY: masterKey,
      DATA_PLANE_TOKEN: dataPlaneToken,
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'info',
      ...opts.env,
    },
    healthUrl: `${url}/readyz`,
    startTimeoutMs: opts.startTimeoutMs ?? 60_000,
    cpuCore: opts.cpuCore,
  });
  await proc.start();
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    port,
    adminToken,
    dataPlaneToken,
    masterKey,
    process: proc,
    stop: () => proc.stop(),
    restart: () => proc.start(),
    dispose: () => proc.dispose(),
  };
}
