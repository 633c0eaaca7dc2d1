// Quick start: the whole stack on one machine — PostgreSQL, control plane, a data plane, the web UI and a demo provider.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { embeddedAdminUrl } from './lib/embedded-db-url.ts';
import { type Proc, startProc, waitForPostgres, waitHealthy } from './lib/procs.ts';
import { type DemoSeed, seedDemo, verifyDemoSeed } from './lib/seed.ts';
import { startStaticServer } from './lib/static-server.ts';

const root = resolve(import.meta.dirname, '..');
const env = process.env;
const home = resolve(root, env.GATEWAY_HOME ?? '.gateway');
const host = '127.0.0.1';
const ports = {
  cp: Number(env.CP_PORT ?? 4000),
  dp: Number(env.DP_PORT ?? 8080),
  web: Number(env.WEB_PORT ?? 5173),
  demo: Number(env.DEMO_PROVIDER_PORT ?? 9100),
  pg: Number(env.EMBEDDED_PG_PORT ?? 54320),
};

interface Secrets {
  masterKey: string;
  dataPlaneToken: string;
  adminToken: string;
  adminEmail: string;
  adminPassword: string;
}

/** Secrets are generated once into the local folder, so restarts keep the same keys and logins. */
function loadSecrets(): Secrets {
  const file = join(home, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const secrets: Secrets = {
    masterKey: randomBytes(32).toString('base64'),
    dataPlaneToken: `dpt_${randomBytes(24).toString('base64url')}`,
    adminToken: `adm_${randomBytes(24).toString('base64url')}`,
    adminEmail: 'admin@gateway.local',
    adminPassword: randomBytes(12).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client(adminUrl);
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const stoppers: (() => Promise<void>)[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nStopping…');
    for (const stop of stoppers.reverse()) await stop().catch((e) => console.error(String(e)));
    console.log('Stopped.');
  }
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync(home, { recursive: true });
  const secrets = loadSecrets();
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const track = (p: Proc) => {
    stoppers.push(() => p.stop());
    p.exited.then((c) => {
      if (!stopping) {
        console.error(`${p.name} exited unexpectedly (code ${c}).`);
        void shutdown(1);
      }
    });
    return p;
  };

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    console.log(`Starting embedded PostgreSQL (data in ${join(home, 'postgres')}, port ${ports.pg})…`);
    const db = track(
      startProc(
        'postgres',
        ['scripts/embedded-db.ts', '--dir', join(home, 'postgres'), '--port', String(ports.pg)],
        {},
        root,
      ),
    );
    const adminUrl = embeddedAdminUrl(ports.pg);
    await waitForPostgres(db, adminUrl);
    databaseUrl = await ensureDatabase(adminUrl, 'gateway');
  }

  const demoKey = 'sk-demo-provider';
  const demo = track(
    startProc('demo-provider', ['test/fixture/main.ts', '--port', String(ports.demo), '--api-key', demoKey], {}, root),
  );
  await waitHealthy(demo, `http://${host}:${ports.demo}/healthz`, 30_000);

  const webOrigin = `http://${host}:${ports.web}`;
  const cp = track(
    startProc(
      'control-plane',
      ['control-plane/dist/main.js'],
      {
        DATABASE_URL: databaseUrl,
        CP_HOST: host,
        CP_PORT: String(ports.cp),
        MASTER_KEY: env.MASTER_KEY ?? secrets.masterKey,
        DATA_PLANE_TOKEN: env.DATA_PLANE_TOKEN ?? secrets.dataPlaneToken,
        ADMIN_TOKEN: env.ADMIN_TOKEN ?? secrets.adminToken,
        SEED_ADMIN_EMAIL: secrets.adminEmail,
        SEED_ADMIN_PASSWORD: secrets.adminPassword,
        CORS_ORIGINS: `${webOrigin},http://localhost:${ports.web}`,
      },
      root,
    ),
  );
  const cpUrl = `http://${host}:${ports.cp}`;
  await waitHealthy(cp, `${cpUrl}/readyz`);

  const seedFile = join(home, 'demo-seed.json');
  const gqlUrl = `${cpUrl}/graphql`;
  const adminToken = env.ADMIN_TOKEN ?? secrets.adminToken;
  const saved = existsSync(seedFile) ? (JSON.parse(readFileSync(seedFile, 'utf8')) as DemoSeed) : null;
  let seed = saved && (await verifyDemoSeed(gqlUrl, adminToken, saved));
  if (saved && !seed) console.log('The saved demo data is not in this database: seeding it again.');
  if (!seed) {
    const provider = env.OPENAI_API_KEY
      ? { name: 'openai', baseUrl: env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1', apiKey: env.OPENAI_API_KEY }
      : { name: 'demo-provider', baseUrl: `http://${host}:${ports.demo}/v1`, apiKey: demoKey };
    seed = await seedDemo(gqlUrl, adminToken, provider);
  }
  if (seed !== saved) writeFileSync(seedFile, JSON.stringify(seed, null, 2), { mode: 0o600 });
  if (env.OPENAI_API_KEY && seed.provider.name !== 'openai') {
    console.warn(
      `OPENAI_API_KEY is set, but this folder was seeded with the ${seed.provider.name} on its first start.\n` +
        `To route the demo models to OpenAI, start once from a fresh folder (e.g. GATEWAY_HOME=.gateway-openai).`,
    );
  }

  const dpUrl = `http://${host}:${ports.dp}`;
  const dp = track(
    startProc(
      'data-plane',
      ['data-plane/src/main.ts'],
      {
        CONTROL_PLANE_URL: cpUrl,
        DATA_PLANE_TOKEN: env.DATA_PLANE_TOKEN ?? secrets.dataPlaneToken,
        DP_HOST: host,
        DP_PORT: String(ports.dp),
        NODE_ID: 'quickstart-dp-1',
        DP_STATE_DIR: join(home, 'data-plane', 'quickstart-dp-1'),
      },
      root,
    ),
  );
  await waitHealthy(dp, `${dpUrl}/readyz`);

  const web = await startStaticServer({
    root: join(root, 'web', 'dist'),
    host,
    port: ports.web,
    config: { graphqlUrl: `${cpUrl}/graphql` },
  });
  stoppers.push(() => new Promise((done) => web.close(() => done())));

  const info = {
    webUrl: webOrigin,
    graphqlUrl: `${cpUrl}/graphql`,
    dataPlaneUrl: `${dpUrl}/v1`,
    admin: { email: secrets.adminEmail, password: secrets.adminPassword },
    adminToken: env.ADMIN_TOKEN ?? secrets.adminToken,
    demoKey: seed.key,
    provider: seed.provider.name,
    models: ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini'],
  };
  writeFileSync(join(home, 'quickstart.json'), JSON.stringify(info, null, 2), { mode: 0o600 });
  console.log(`
  LLM gateway is running (provider: ${info.provider}).

    Web admin      ${info.webUrl}
                   login ${info.admin.email} / ${info.admin.password}
    GraphQL API    ${info.graphqlUrl}   (Authorization: Bearer ${info.adminToken})
    Data plane     ${info.dataPlaneUrl}  (OpenAI-compatible)
    Demo key       ${info.demoKey}

  Try it:
    curl ${info.dataPlaneUrl}/chat/completions -H "Authorization: Bearer ${info.demoKey}" \\
      -H 'content-type: application/json' -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'

  These details are in ${join(home, 'quickstart.json')}. Press Ctrl-C to stop.
`);
}

main().catch(async (e: unknown) => {
  console.error(`Start failed: ${e instanceof Error ? e.message : String(e)}`);
  await shutdown(1);
});
