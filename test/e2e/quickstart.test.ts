// The README's start command as a user runs it: embedded PostgreSQL, every service, the demo key working with the
// official SDK, Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stopping everything, and a
// restart that finds its data again.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { gql } from '../harness/gql.ts';
import { repoRoot } from '../harness/paths.ts';
import { freePort } from '../harness/ports.ts';
import { httpStatus, sleep, waitFor } from '../harness/wait.ts';

interface QuickstartInfo {
  webUrl: string;
  graphqlUrl: string;
  dataPlaneUrl: string;
  admin: { email: string; password: string };
  adminToken: string;
  demoKey: string;
  provider: string;
  models: string[];
}

const execFileAsync = promisify(execFile);
const home = mkdtempSync(join(tmpdir(), 'gw-quickstart-'));
// As root the embedded PostgreSQL runs as OS user postgres, which must be able to enter the folder.
chmodSync(home, 0o755);
const ports = { cp: 0, dp: 0, web: 0, demo: 0, pg: 0 };
let proc: ChildProcess | undefined;
let output = '';

async function start(): Promise<QuickstartInfo> {
  for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] ||= await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GATEWAY_HOME: home,
    CP_PORT: String(ports.cp),
    DP_PORT: String(ports.dp),
    WEB_PORT: String(ports.web),
    DEMO_PROVIDER_PORT: String(ports.demo),
    EMBEDDED_PG_PORT: String(ports.pg),
  };
  output = '';
  // Its own process group, like a shell job: the signal below reaches the orchestrator and anything not detached.
  proc = spawn(process.execPath, ['scripts/start.ts'], { cwd: repoRoot, env, detached: true, stdio: 'pipe' });
  proc.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  proc.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  await waitFor('the quick start to print its banner', () => output.includes('Press Ctrl-C to stop') || undefined, {
    timeoutMs: 120_000,
    intervalMs: 200,
  }).catch((e: Error) => {
    throw new Error(`${e.message}\n${output.slice(-3000)}`);
  });
  return JSON.parse(readFileSync(join(home, 'quickstart.json'), 'utf8')) as QuickstartInfo;
}

/** Ctrl-C in a terminal: SIGINT to every process of the foreground group. */
async function pressCtrlC(): Promise<number | null> {
  const child = proc!;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(-child.pid!, 'SIGINT');
  const code = await Promise.race([exited, sleep(60_000).then(() => 'timeout' as const)]);
  if (code === 'timeout') throw new Error(`the quick start did not stop within 60 s:\n${output.slice(-3000)}`);
  return code;
}

async function nothingListens(): Promise<string[]> {
  const open: string[] = [];
  for (const [name, port] of Object.entries(ports)) {
    if ((await httpStatus(`http://127.0.0.1:${port}/`, 500)) !== undefined) open.push(`${name}:${port}`);
  }
  return open;
}

afterAll(async () => {
  if (proc && proc.exitCode === null) {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(home, { recursive: true, force: true });
});

describe('quick start (pnpm start)', () => {
  let first: QuickstartInfo;

  it('starts every service on the embedded PostgreSQL and writes the details for scripts', async () => {
    first = await start();
    expect(first.provider).toBe('demo-provider');
    expect(first.demoKey).toMatch(/^sk-gw-/);
    expect(first.models).toEqual(['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini']);
    for (const line of [first.webUrl, first.graphqlUrl, first.dataPlaneUrl, first.admin.email, first.demoKey]) {
      expect(output).toContain(line);
    }
    expect(existsSync(join(home, 'postgres', 'PG_VERSION'))).toBe(true);
  });

  it('answers the demo key through the official SDK, JSON and streaming, offline', async () => {
    const client = new OpenAI({ apiKey: first.demoKey, baseURL: first.dataPlaneUrl, maxRetries: 0 });
    const reply = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    expect(reply.choices[0].message.content).toContain('Hello there');
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Stream it' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toContain('Stream it');
  });

  it('serves the web UI with its runtime config, and the admin can log in', async () => {
    const page = await fetch(first.webUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"');
    const config = (await (await fetch(`${first.webUrl}/config.json`)).json()) as { graphqlUrl: string };
    expect(config.graphqlUrl).toBe(first.graphqlUrl);
    const { login } = await gql<{ login: { token: string } }>(
      first.graphqlUrl,
      undefined,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: first.admin.email, p: first.admin.password },
    );
    expect(login.token.length).toBeGreaterThan(20);
  });

  it('records the usage of those calls in PostgreSQL', async () => {
    const totals = await waitFor(
      'usage of the two calls',
      async () => {
        const { usageByOrg } = await gql<{
          usageByOrg: { nodes: { orgName: string; totals: { requests: number } }[] };
        }>(first.graphqlUrl, first.adminToken, '{ usageByOrg { nodes { orgName totals { requests } } } }');
        const demo = usageByOrg.nodes.find((o) => o.orgName === 'Demo Org');
        return demo && demo.totals.requests >= 2 ? demo.totals : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(totals.requests).toBe(2);
  });

  it('takes a short load from the load-test tool (pnpm loadtest) with the demo key, JSON and streamed', async () => {
    const cli = join(repoRoot, 'loadtest', 'src', 'main.ts');
    for (const extra of [[], ['--stream']]) {
      const args = [cli, '--url', first.dataPlaneUrl, '--key', first.demoKey, '-n', '40', '-c', '4', '--json', '-'];
      const { stdout } = await execFileAsync(process.execPath, [...args, ...extra], { timeout: 30_000 });
      const [r] = (JSON.parse(stdout) as { results: { sent: number; ok: number; ttftMs: unknown }[] }).results;
      expect(r).toMatchObject({ sent: 40, ok: 40 });
      if (extra.length) expect(r.ttftMs).not.toBeNull();
    }
  });

  it('stops every process on Ctrl-C', async () => {
    const code = await pressCtrlC();
    expect(code, output.slice(-2000)).toBe(0);
    expect(output).toContain('Stopped.');
    expect(await nothingListens()).toEqual([]);
    // No process of the group is left (the database included).
    expect(() => process.kill(-proc!.pid!, 0)).toThrow();
  });

  it('restarts on the same folder with the same data, key and login', async () => {
    const again = await start();
    expect(again.demoKey).toBe(first.demoKey);
    expect(again.admin).toEqual(first.admin);
    expect(output).not.toContain('seeding it again');
    const client = new OpenAI({ apiKey: again.demoKey, baseURL: again.dataPlaneUrl, maxRetries: 0 });
    const reply = await client.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'Back again' }],
    });
    expect(reply.choices[0].message.content).toContain('Back again');
    expect(await pressCtrlC()).toBe(0);
    expect(await nothingListens()).toEqual([]);
  });
});
