// Everything under DP_STATE_DIR is owner-only: the snapshot (provider keys, sealed with the data-plane token), the
// usage spool and dead-letter file (who called what, at what cost) and the lock. Each is created with these modes
// (a umask can only take bits away, never add them) and the whole dir is checked at start.
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export const privateFileMode = 0o600;
export const privateDirMode = 0o700;

/**
 * Creates `dir` if needed, then takes every permission of group and others away from it and everything below it,
 * and returns the paths it had to change (left so by earlier versions, or by hand). Throws when a mode cannot be
 * changed, e.g. for a file that belongs to another user: the data plane then refuses to start rather than keep
 * records that others may read. Symbolic links are left alone (a target outside the dir is not ours to change).
 */
export async function secureStateDir(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: privateDirMode });
  const loose: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const info = await lstat(path);
    if (info.isSymbolicLink()) return;
    if (info.mode & 0o077) {
      await chmod(path, info.mode & 0o700);
      loose.push(path);
    }
    if (info.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name));
  };
  await visit(dir);
  return loose;
}
