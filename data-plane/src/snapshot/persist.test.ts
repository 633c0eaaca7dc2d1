// Disk persistence: credentials encrypted at rest, verified on load, and served from disk at boot.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotHash } from '@gw/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { providerApiKey, readBaseFile, sampleSnapshot } from '../test-support/snapshots.ts';
import { bootFromDisk, decryptSecret, deriveSnapshotKey, encryptSecret, SnapshotFile } from './persist.ts';
import { StoreHolder } from './store.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dp-persist-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('secret encryption', () => {
  it('round-trips, binds the credential id, and refuses another token', () => {
    const key = deriveSnapshotKey('token-a');
    const sealed = encryptSecret(key, 'sk-123', 'cred-1');
    expect(sealed.startsWith('enc:v1:')).toBe(true);
    expect(sealed).not.toContain('sk-123');
    expect(decryptSecret(key, sealed, 'cred-1')).toBe('sk-123');
    expect(() => decryptSecret(key, sealed, 'cred-2')).toThrow();
    expect(() => decryptSecret(deriveSnapshotKey('token-b'), sealed, 'cred-1')).toThrow();
  });
});

describe('SnapshotFile', () => {
  it('writes the snapshot with every apiKey encrypted and loads it back verified', async () => {
    const file = new SnapshotFile(dir, 'dp-token');
    const snapshot = sampleSnapshot();
    await file.save({ version: 7, hash: snapshotHash(snapshot), snapshot });
    const text = await readFile(file.path, 'utf8');
    expect(text).not.toContain(providerApiKey);
    const { header, entries } = await readBaseFile(file.path);
    expect(header).toMatchObject({ format: 3, version: 7, hash: snapshotHash(snapshot) });
    const credential = entries.find(([kind, id]) => kind === 'credentials' && id === 'cred-1');
    expect(credential?.[2]).toMatchObject({ apiKey: expect.stringMatching(/^enc:v1:/) });
    const loaded = await new SnapshotFile(dir, 'dp-token').load();
    expect(loaded).toEqual({ version: 7, hash: snapshotHash(snapshot), snapshot });
  });

  it('returns null without a file and throws for a file it cannot trust', async () => {
    const file = new SnapshotFile(dir, 'dp-token');
    expect(await file.load()).toBeNull();
    const snapshot = sampleSnapshot();
    await file.save({ version: 1, hash: snapshotHash(snapshot), snapshot });
    await expect(new SnapshotFile(dir, 'rotated-token').load()).rejects.toThrow();
    const text = await readFile(file.path, 'utf8');
    expect(text).toContain('"name":"Acme"');
    await writeFile(file.path, text.replace('"name":"Acme"', '"name":"Tampered"'));
    await expect(file.load()).rejects.toThrow(/hash mismatch/);
    // A damaged line, a repeated resource, a resource the schema refuses: each makes the file unusable.
    const lines = text.trim().split('\n');
    await writeFile(file.path, `${lines.join('\n')}\n${lines[1].slice(0, 20)}\n`);
    await expect(file.load()).rejects.toThrow(/is not JSON/);
    await writeFile(file.path, `${lines.join('\n')}\n${lines[1]}\n`);
    await expect(file.load()).rejects.toThrow(/repeated/);
    await writeFile(file.path, `${lines.join('\n')}\n${JSON.stringify(['orgs', 'x', { id: 'x' }])}\n`);
    await expect(file.load()).rejects.toThrow(/resources\.orgs\.x/);
  });

  it('coalesces concurrent saves and ends with the newest', async () => {
    const file = new SnapshotFile(dir, 'dp-token');
    const s = sampleSnapshot();
    await Promise.all([1, 2, 3, 4].map((v) => file.save({ version: v, hash: snapshotHash(s), snapshot: s })));
    expect((await file.load())?.version).toBe(4);
  });

  it('boots a store from disk with source "disk", and ignores a bad file', async () => {
    const s = sampleSnapshot();
    await new SnapshotFile(dir, 'dp-token').save({ version: 12, hash: snapshotHash(s), snapshot: s });
    const stores = new StoreHolder();
    expect(await bootFromDisk(new SnapshotFile(dir, 'dp-token'), stores, silentLogger())).toBe(true);
    expect(stores.current).toMatchObject({ version: 12, source: 'disk' });
    expect(stores.current?.credentials.get('cred-1')?.apiKey).toBe(providerApiKey);

    const other = new StoreHolder();
    expect(await bootFromDisk(new SnapshotFile(dir, 'wrong-token'), other, silentLogger())).toBe(false);
    expect(other.current).toBeNull();
  });
});
