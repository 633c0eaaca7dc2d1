// One data plane per state dir: a lock file holding the owner's pid, so that two processes never share a
// snapshot file and a usage spool (which would send records twice or lose them).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { privateDirMode, privateFileMode } from './state-dir.ts';

export class StateDirInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock (replacing one left by a dead process); returns its release function. */
export async function lockStateDir(dir: string): Promise<() => void> {
  await mkdir(dir, { recursive: true, mode: privateDirMode });
  const file = join(dir, 'data-plane.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: privateFileMode });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
      throw new StateDirInUseError(
        `state dir ${dir} is in use by process ${owner}; give each data plane its own NODE_ID or DP_STATE_DIR`,
      );
    }
    rmSync(file, { force: true });
  }
  throw new StateDirInUseError(`could not lock state dir ${dir}`);
}
