// Runs every test suite (unit, end-to-end, fuzzing, browser) against one PostgreSQL and prints one closing tally.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type EmbeddedDb, startEmbeddedDb } from './lib/embedded-db.ts';

const root = resolve(import.meta.dirname, '..');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const results = join(root, 'test-results');

/** Each suite: a name, the folder vitest runs in, and its extra arguments. */
const suites: [string, string, string[]][] = [
  ['schema', 'schema', []],
  ['control-plane', 'control-plane', []],
  ['data-plane', 'data-plane', []],
  ['web', 'web', []],
  ['test-unit', 'test', ['--config', 'vitest.config.ts']],
  ['e2e', 'test', ['--config', 'vitest.e2e.config.ts']],
  ['fuzz', 'test', ['--config', 'vitest.fuzz.config.ts']],
  ['web-browser', 'test', ['--config', 'web/vitest.config.ts']],
];

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [vitest, 'run', ...args], { cwd, env, stdio: 'inherit' });
    child.once('exit', (code) => done(code ?? 1));
  });
}

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

async function main(): Promise<number> {
  mkdirSync(results, { recursive: true });
  let db: EmbeddedDb | undefined;
  let dbDir: string | undefined;
  const env = { ...process.env };
  if (!env.TEST_DATABASE_URL) {
    dbDir = mkdtempSync(join(tmpdir(), 'gw-test-pg-'));
    console.log('TEST_DATABASE_URL is not set: starting an embedded PostgreSQL for this run.');
    db = await startEmbeddedDb({ dir: join(dbDir, 'data'), port: await freePort() });
    env.TEST_DATABASE_URL = db.adminUrl;
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const broken: string[] = [];
  try {
    for (const [name, dir, args] of suites) {
      const out = join(results, `${name}.json`);
      rmSync(out, { force: true });
      console.log(`\n=== ${name} ===`);
      const code = await run(
        join(root, dir),
        [...args, '--reporter=default', '--reporter=json', `--outputFile=${out}`],
        env,
      );
      if (!existsSync(out)) {
        broken.push(`${name} (exit ${code}, no report)`);
        failed += 1;
        continue;
      }
      const r = JSON.parse(readFileSync(out, 'utf8')) as VitestJson;
      passed += r.numPassedTests;
      failed += r.numFailedTests;
      skipped += r.numPendingTests + r.numTodoTests;
      if (code !== 0 && r.numFailedTests === 0) {
        broken.push(`${name} (exit ${code})`);
        failed += 1;
      }
    }
  } finally {
    await db?.stop();
    if (dbDir) rmSync(dbDir, { recursive: true, force: true });
  }
  if (broken.length) console.log(`\nSuites that failed outside a test: ${broken.join(', ')}`);
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
