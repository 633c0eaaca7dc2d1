// A child process of the harness: spawned with this Node binary, output captured to a log file, stoppable and restartable.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { logDir, repoRoot } from './paths.ts';
import { httpStatus, sleep } from './wait.ts';

/** Every child still alive; killed hard if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export interface ProcessSpec {
  /** Log file name (test-results/logs/<name>.log) and label in errors. */
  name: string;
  /** Arguments to Node: the script first. */
  args: string[];
  env: Record<string, string>;
  /** Polled until it answers 200; the process counts as started then. */
  healthUrl: string;
  startTimeoutMs?: number;
  /** Pin the process to this CPU core with taskset (benchmarks). */
  cpuCore?: number;
}

const keepLines = 5_000;

export class ManagedProcess {
  readonly spec: ProcessSpec;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  private lines: string[] = [];
  private log: WriteStream | undefined;
  private listeners = new Set<(line: string) => void>();

  constructor(spec: ProcessSpec) {
    this.spec = spec;
    mkdirSync(logDir, { recursive: true });
    this.logFile = join(logDir, `${spec.name}.log`);
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Output lines of the current run (stdout and stderr interleaved). */
  output(): string[] {
    return [...this.lines];
  }

  /** Calls `listener` with every complete output line from now on (every run); returns the unsubscribe. */
  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last lines of output, for error messages. */
  tail(n = 40): string {
    return this.lines.slice(-n).join('\n');
  }

  /** Spawns the process and resolves once the health URL answers 200; throws with the log tail otherwise. */
  async start(extraEnv: Record<string, string> = {}): Promise<void> {
    if (this.running) throw new Error(`${this.spec.name} is already running`);
    installExitHook();
    this.lines = [];
    this.log ??= createWriteStream(this.logFile, { flags: 'a' });
    this.log.write(`\n===== ${new Date().toISOString()} start ${this.spec.name} =====\n`);
    const [cmd, args] =
      this.spec.cpuCore === undefined
        ? [process.execPath, this.spec.args]
        : ['taskset', ['-c', String(this.spec.cpuCore), process.execPath, ...this.spec.args]];
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...this.spec.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    live.add(child);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.log?.write(`===== exit code=${code} signal=${signal} =====\n`);
        resolve(code);
      });
      child.once('error', (err) => {
        live.delete(child);
        this.lines.push(`spawn error: ${err.message}`);
        resolve(null);
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream?.on('data', (buf: Buffer) => {
        const text = buf.toString('utf8');
        this.log?.write(text);
        const parts = (rest + text).split('\n');
        rest = parts.pop() ?? '';
        this.lines.push(...parts);
        for (const line of parts) for (const listener of this.listeners) listener(line);
        if (this.lines.length > keepLines) this.lines.splice(0, this.lines.length - keepLines);
      });
    }
    const timeoutMs = this.spec.startTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        const code = await this.exited;
        throw new Error(`${this.spec.name} exited (code ${code}) before it was healthy:\n${this.tail()}`);
      }
      if ((await httpStatus(this.spec.healthUrl, 1_000)) === 200) return;
      await sleep(50);
    }
    await this.kill();
    throw new Error(`${this.spec.name} not healthy at ${this.spec.healthUrl} within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `timeoutMs`. Resolves with the exit code (null if killed). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<number | null> {
    if (!this.running) return this.exited;
    this.child?.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal without waiting (e.g. SIGTERM mid-stream); pair with waitForExit(). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child?.kill(signal);
  }

  waitForExit(timeoutMs = 20_000): Promise<number | null> {
    return Promise.race([
      this.exited,
      sleep(timeoutMs).then(() => {
        throw new Error(`${this.spec.name} did not exit within ${timeoutMs} ms:\n${this.tail()}`);
      }),
    ]);
  }

  /** SIGKILL, no grace: simulates a crash. */
  kill(): Promise<number | null> {
    return this.stop('SIGKILL', 5_000);
  }

  /** Stops the process for good and closes its log file. */
  async dispose(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
    this.log = undefined;
  }
}
