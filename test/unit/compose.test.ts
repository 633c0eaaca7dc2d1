// The compose files in deploy/compose/, validated by `docker-compose config` and checked against what the services read.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/paths.ts';
import { controlPlaneEnv, dataPlaneEnv, probes } from './service-env.ts';

const dir = join(repoRoot, 'deploy', 'compose');
const tmp = mkdtempSync(join(tmpdir(), 'gw-compose-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Debian's docker-compose (v1), else the docker compose plugin: whichever validates here. */
function composeCommand(): string[] {
  for (const cmd of [['docker-compose'], ['docker', 'compose']]) {
    if (spawnSync(cmd[0], [...cmd.slice(1), 'version'], { stdio: 'ignore' }).status === 0) return cmd;
  }
  throw new Error('neither docker-compose nor `docker compose` is installed (apt-get install docker-compose)');
}
const compose = composeCommand();

/** .env.example with every blank filled, as an operator would. */
function envFile(overrides: Record<string, string> = {}): string {
  const filled: Record<string, string> = {
    MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    DATA_PLANE_TOKEN: 'dpt-compose-test-token',
    ADMIN_TOKEN: 'adm-compose-test-token',
    POSTGRES_PASSWORD: 'pg-secret',
    METRICS_TOKEN: 'metrics-secret',
    GRAFANA_ADMIN_PASSWORD: 'grafana-secret',
    ...overrides,
  };
  const lines = readFileSync(join(dir, '.env.example'), 'utf8')
    .split('\n')
    .map((l) => {
      const m = /^([A-Z_]+)=(.*)$/.exec(l);
      return m && m[1] in filled ? `${m[1]}=${filled[m[1]]}` : l;
    });
  const path = join(tmp, `env-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, lines.join('\n'));
  return path;
}

interface Service {
  image?: string;
  build?: { dockerfile: string };
  environment?: Record<string, string | null>;
  ports?: (string | { target: number; published: number | string })[];
  volumes?: (string | { source: string; target: string })[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  stop_grace_period?: string;
}
interface ComposeConfig {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

function config(file: string, env = envFile()): ComposeConfig {
  const out = execFileSync(compose[0], [...compose.slice(1), '--env-file', env, '-f', join(dir, file), 'config'], {
    cwd: dir,
    encoding: 'utf8',
  });
  return parse(out) as ComposeConfig;
}

const cpEnv = controlPlaneEnv();
const dpEnv = dataPlaneEnv();
const byPrefix = (c: ComposeConfig, prefix: string) =>
  Object.entries(c.services).filter(([name]) => name === prefix || name.startsWith(`${prefix}-`));

const targetPort = (p: string | { target: number }) =>
  typeof p === 'string' ? Number(p.split(':').at(-1)?.split('/')[0]) : p.target;
const mounts = (s: Service) =>
  (s.volumes ?? []).map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v));

describe.each([
  ['compose.yaml', 1, 1],
  ['compose.scaled.yaml', 2, 3],
])('%s', (file, controlPlanes, dataPlanes) => {
  const c = config(file);
  const cps = byPrefix(c, 'control-plane');
  const dps = byPrefix(c, 'data-plane');

  it(`validates and has PostgreSQL, ${controlPlanes} control plane(s), ${dataPlanes} data plane(s) and the web UI`, () => {
    expect(cps).toHaveLength(controlPlanes);
    expect(dps).toHaveLength(dataPlanes);
    expect(Object.keys(c.services)).toEqual(expect.arrayContaining(['postgres', 'web']));
    expect(mounts(c.services.postgres).map((m) => m.target)).toContain('/var/lib/postgresql/data');
  });

  it('gates every start on the health of what it depends on, and checks the health of every service', () => {
    for (const [name, s] of Object.entries(c.services)) {
      expect(s.healthcheck, `${name} has a healthcheck`).toBeDefined();
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(condition, `${name} waits for ${dep} to be healthy`).toBe('service_healthy');
      }
    }
    for (const [name, s] of [...cps, ...dps]) {
      const port = s.environment?.[name.startsWith('control') ? 'CP_PORT' : 'DP_PORT'];
      expect(JSON.stringify(s.healthcheck?.test), `${name} health = readiness`).toContain(
        `127.0.0.1:${port}${probes.readiness}`,
      );
    }
    for (const [name, s] of dps) expect(Object.keys(s.depends_on ?? {})[0], name).toMatch(/^control-plane/);
    for (const [name, s] of cps) expect(Object.keys(s.depends_on ?? {}), name).toEqual(['postgres']);
  });

  it('sets only variables the services read, every required one, and listens where it publishes', () => {
    for (const [name, s] of cps) {
      const env = Object.keys(s.environment ?? {});
      expect(
        env.filter((v) => !cpEnv.all.has(v)),
        `${name} sets unknown variables`,
      ).toEqual([]);
      expect(
        [...cpEnv.required].filter((v) => !s.environment?.[v]),
        `${name} lacks`,
      ).toEqual([]);
      expect(s.environment?.CP_HOST).toBe('0.0.0.0');
    }
    for (const [name, s] of dps) {
      const env = Object.keys(s.environment ?? {});
      expect(
        env.filter((v) => !dpEnv.all.has(v)),
        `${name} sets unknown variables`,
      ).toEqual([]);
      expect(
        [...dpEnv.required].filter((v) => !s.environment?.[v]),
        `${name} lacks`,
      ).toEqual([]);
      expect(s.environment?.DP_HOST).toBe('0.0.0.0');
      // The control plane it follows is a service of this file, on that service's port.
      const cp = new URL(s.environment?.CONTROL_PLANE_URL ?? '');
      expect(c.services[cp.hostname]?.environment?.CP_PORT, `${name} follows ${cp.host}`).toBe(cp.port);
      expect(s.environment?.DATA_PLANE_TOKEN).toBe(c.services[cp.hostname]?.environment?.DATA_PLANE_TOKEN);
    }
    for (const [name, s] of [...cps, ...dps]) {
      const port = Number(s.environment?.[name.startsWith('control') ? 'CP_PORT' : 'DP_PORT']);
      for (const p of s.ports ?? []) expect(targetPort(p), `${name} publishes its port`).toBe(port);
    }
  });

  it('builds the images from Dockerfiles that exist, and checks health with the script the images hold', () => {
    for (const [name, s] of Object.entries(c.services)) {
      if (!s.build) continue;
      const dockerfile = readFileSync(join(repoRoot, s.build.dockerfile), 'utf8');
      const check = JSON.stringify(s.healthcheck?.test);
      if (check.includes('/app/healthcheck.mjs')) {
        expect(dockerfile, name).toContain('COPY deploy/docker/healthcheck.mjs /app/healthcheck.mjs');
      }
    }
    const web = readFileSync(join(repoRoot, 'deploy/docker/web/entrypoint.sh'), 'utf8');
    expect(Object.keys(c.services.web.environment ?? {})).toEqual(['GRAPHQL_URL']);
    expect(web).toContain('GRAPHQL_URL');
  });

  it('keeps each data plane state on a volume of its own under a stable node id', () => {
    const states = dps.map(([name, s]) => {
      const target = s.environment?.DP_STATE_DIR;
      const mount = mounts(s).find((m) => m.target === target);
      expect(mount, `${name} mounts a volume at DP_STATE_DIR`).toBeDefined();
      expect(Object.keys(c.volumes)).toContain(mount?.source);
      return { node: s.environment?.NODE_ID, volume: mount?.source };
    });
    expect(new Set(states.map((s) => s.node)).size).toBe(dps.length);
    expect(new Set(states.map((s) => s.volume)).size).toBe(dps.length);
  });

  it('gives a data plane time to drain (SHUTDOWN_GRACE_MS 20 s + 5 s for usage) before it is killed', () => {
    const seconds = (d = '') =>
      [...d.matchAll(/(\d+)([hms])/g)].reduce(
        (t, [, n, u]) => t + Number(n) * { h: 3600, m: 60, s: 1 }[u as 'h' | 'm' | 's'],
        0,
      );
    for (const [name, s] of dps) expect(seconds(s.stop_grace_period), name).toBeGreaterThanOrEqual(25);
  });
});

describe('compose.scaled.yaml: the scale-out topology', () => {
  const c = config('compose.scaled.yaml');

  it('spreads the data planes over both control-plane replicas', () => {
    const followed = new Set(
      byPrefix(c, 'data-plane').map(([, s]) => new URL(s.environment!.CONTROL_PLANE_URL!).hostname),
    );
    expect([...followed].sort()).toEqual(['control-plane-1', 'control-plane-2']);
  });

  it('balances the API over every data plane and the GraphQL API (with websockets) over both replicas', () => {
    const conf = readFileSync(join(dir, 'nginx', 'gateway.conf'), 'utf8');
    for (const [name, s] of byPrefix(c, 'data-plane'))
      expect(conf).toContain(`server ${name}:${s.environment?.DP_PORT}`);
    for (const [name, s] of byPrefix(c, 'control-plane'))
      expect(conf).toContain(`server ${name}:${s.environment?.CP_PORT}`);
    expect(conf).toContain('proxy_set_header Upgrade $http_upgrade');
    expect(conf).toContain('proxy_buffering off');
    const balancer = c.services.balancer;
    expect(mounts(balancer).map((m) => m.target)).toContain('/etc/nginx/conf.d/default.conf');
    expect(Object.keys(balancer.depends_on ?? {}).sort()).toEqual(['data-plane-1', 'data-plane-2', 'data-plane-3']);
  });
});

describe('compose: secrets are demanded, never defaulted', () => {
  it.each(['compose.yaml', 'compose.scaled.yaml'])('%s refuses to render without MASTER_KEY', (file) => {
    const env = envFile({ MASTER_KEY: '' });
    const r = spawnSync(compose[0], [...compose.slice(1), '--env-file', env, '-f', join(dir, file), 'config'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('set MASTER_KEY in .env');
  });
});
