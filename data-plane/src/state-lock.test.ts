import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockStateDir, StateDirInUseError } from './state-lock.ts';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gw-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('state dir lock', () => {
  it('writes its pid and removes the file on release', async () => {
    const dir = freshDir();
    const release = await lockStateDir(dir);
    expect(readFileSync(join(dir, 'data-plane.lock'), 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, 'data-plane.lock'))).toBe(false);
  });

  it('refuses a dir that a live process holds, naming the settings that fix it', async () => {
    const dir = freshDir();
    const other = spawn('sleep', ['10']);
    try {
      writeFileSync(join(dir, 'data-plane.lock'), `${other.pid}\n`);
      const err = await lockStateDir(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StateDirInUseError);
      expect((err as Error).message).toContain(`in use by process ${other.pid}`);
      expect((err as Error).message).toContain('NODE_ID or DP_STATE_DIR');
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = freshDir();
    const gone = spawnSync('true');
    writeFileSync(join(dir, 'data-plane.lock'), `${gone.pid}\n`);
    const release = await lockStateDir(dir);
    expect(readFileSync(join(dir, 'data-plane.lock'), 'utf8').trim()).toBe(String(process.pid));
    release();
  });

  it('takes over an unreadable lock file', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'data-plane.lock'), 'garbage');
    const release = await lockStateDir(dir);
    release();
  });
});
