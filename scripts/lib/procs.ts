// Child processes of the quick start: spawned on our Node, output prefixed, stopped gracefully.
import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export interface Proc {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(graceMs?: number): Promise<void>;
}

export function startProc(name: string, args: string[], env: Record<string, string | undefined>, cwd: string): Proc {
  // detached: a terminal's Ctrl-C reaches only the orchestrator, which then stops children in order.
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (buf: Buffer) => {
      const lines = (rest + buf.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Polls `url` until it answers 2xx, the process dies, or the time runs out. */
export async function waitHealthy(proc: Proc, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  proc.exited.then(() => (died = true));
  while (Date.now() < deadline) {
    if (died) throw new Error(`${proc.name} exited before it became healthy`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${proc.name} was not healthy at ${url} within ${timeoutMs} ms`);
}

/** Polls until PostgreSQL at `url` answers a query (the first start also runs initdb, so it may take a while). */
export async function waitForPostgres(proc: Proc, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  proc.exited.then(() => (died = true));
  while (Date.now() < deadline) {
    if (died) throw new Error(`${proc.name} exited before it accepted connections`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch {
      // not up yet
    } finally {
      await client.end().catch(() => {});
    }
    await sleep(250);
  }
  throw new Error(`${proc.name} did not accept connections at ${url} within ${timeoutMs} ms`);
}
