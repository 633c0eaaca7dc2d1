// The state dir is owner-only: whatever the umask, every file the data plane writes there is 0600 and every folder
// 0700, and loose modes left by earlier versions are tightened at start.
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotHash } from '@gw/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotFile } from './snapshot/persist.ts';
import { secureStateDir } from './state-dir.ts';
import { lockStateDir } from './state-lock.ts';
import { sampleSnapshot } from './test-support/snapshots.ts';
import { DeadLetterFile } from './usage/dead-letter.ts';
import { UsageSpool } from './usage/spool.ts';
import { sampleRecord } from './usage/test-records.ts';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-state-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** `relative path -> mode` of everything below `dir`, the dir itself as '.'. */
async function modes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const visit = async (path: string, rel: string) => {
    const info = await lstat(path);
    out[rel] = (info.mode & 0o777).toString(8);
    if (info.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name), join(rel, name));
  };
  await visit(dir, '.');
  return out;
}

describe('state dir modes', () => {
  it('writes every file owner-only (0600, folders 0700) even under umask 000', async () => {
    const stateDir = join(await freshDir(), 'node-1');
    const umask = process.umask(0);
    try {
      const unlock = await lockStateDir(stateDir);
      const snapshot = sampleSnapshot();
      await new SnapshotFile(stateDir, 'dp-token').save({ version: 1, hash: snapshotHash(snapshot), snapshot });
      const spool = await UsageSpool.open(stateDir, { segmentRecords: 2 });
      for (let i = 0; i < 3; i++) spool.append(sampleRecord());
      await spool.flush();
      await spool.read(1);
      await spool.ack(1); // writes the ack cursor (a temp file, then renamed)
      await spool.close();
      const letters = await DeadLetterFile.open(stateDir);
      await letters.add([{ line: JSON.stringify(sampleRecord()), reason: 'model: bad', field: 'model' }]);
      await letters.close();

      const found = await modes(stateDir);
      expect(Object.keys(found).sort()).toEqual(
        expect.arrayContaining(['.', 'data-plane.lock', 'snapshot.json', 'usage-dead-letter.jsonl', 'usage-spool']),
      );
      expect(Object.keys(found).filter((p) => p.startsWith('usage-spool/seg-'))).toHaveLength(2);
      expect(found['usage-spool/ack-cursor']).toBeDefined();
      for (const [path, mode] of Object.entries(found)) {
        const isDir = (await stat(join(stateDir, path))).isDirectory();
        expect({ path, mode }).toEqual({ path, mode: isDir ? '700' : '600' });
      }
      unlock();
    } finally {
      process.umask(umask);
    }
  });

  it('takes group and other permissions away from what earlier versions left, and names what it changed', async () => {
    const stateDir = join(await freshDir(), 'node-1');
    await mkdir(join(stateDir, 'usage-spool'), { recursive: true });
    await writeFile(join(stateDir, 'snapshot.json'), '{}');
    await writeFile(join(stateDir, 'usage-spool', 'seg-0000000000000000.jsonl'), '');
    await writeFile(join(stateDir, 'usage-dead-letter.jsonl'), '', { mode: 0o600 });
    const outside = join(await freshDir(), 'elsewhere');
    await writeFile(outside, '');
    await chmod(outside, 0o644);
    await symlink(outside, join(stateDir, 'link'));
    for (const [path, mode] of [
      ['.', 0o755],
      ['usage-spool', 0o775],
      ['snapshot.json', 0o644],
      ['usage-spool/seg-0000000000000000.jsonl', 0o666],
    ] as const) {
      await chmod(join(stateDir, path), mode);
    }

    const loose = await secureStateDir(stateDir);

    expect(loose.sort()).toEqual(
      [stateDir, 'snapshot.json', 'usage-spool', 'usage-spool/seg-0000000000000000.jsonl']
        .map((p) => (p === stateDir ? p : join(stateDir, p)))
        .sort(),
    );
    expect(await modes(stateDir)).toEqual({
      '.': '700',
      link: '777',
      'snapshot.json': '600',
      'usage-dead-letter.jsonl': '600',
      'usage-spool': '700',
      'usage-spool/seg-0000000000000000.jsonl': '600',
    });
    // A link's target is not the data plane's to change.
    expect(((await stat(outside)).mode & 0o777).toString(8)).toBe('644');
    expect(await secureStateDir(stateDir)).toEqual([]);
  });

  it('creates a missing state dir owner-only', async () => {
    const stateDir = join(await freshDir(), 'a', 'b');
    expect(await secureStateDir(stateDir)).toEqual([]);
    expect(((await stat(stateDir)).mode & 0o777).toString(8)).toBe('700');
  });
});
