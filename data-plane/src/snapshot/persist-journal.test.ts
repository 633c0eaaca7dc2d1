// Persistence in proportion to the change: a base plus an fdatasync'ed journal of deltas, compacted in the
// background; boot replays both and survives a crash at any point (a torn line is ignored, the base stays valid).
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, type DeltaMessage, diffSnapshots, type Snapshot, sha256Hex, snapshotHash } from '@gw/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { providerApiKey, readBaseFile, sampleSnapshot, storeOf } from '../test-support/snapshots.ts';
import { applySyncMessage } from './apply.ts';
import { journalHeader } from './journal.ts';
import { compactAfter, deriveSnapshotKey, SnapshotFile, sealSnapshot } from './persist.ts';
import type { SnapshotStore } from './store.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dp-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Applies `mutate` to the store's snapshot as a delta; returns the new store and the delta message. */
function step(store: SnapshotStore, mutate: (s: Snapshot) => void): [SnapshotStore, DeltaMessage] {
  const from = structuredClone(store.snapshot) as Snapshot;
  const to = structuredClone(from);
  mutate(to);
  const delta = {
    type: 'delta' as const,
    fromVersion: store.version,
    version: store.version + 1,
    hash: snapshotHash(to),
    ...diffSnapshots(from, to),
  };
  const out = applySyncMessage(store, delta);
  if (out.kind !== 'applied') throw new Error(out.kind === 'rejected' ? out.reason : out.kind);
  return [out.store, delta];
}

const rename = (n: number) => (s: Snapshot) => {
  s.orgs['org-1'].name = `Acme ${n}`;
};

describe('snapshot journal', () => {
  it('writes a full snapshot as the base and each delta as one line, with apiKeys encrypted', async () => {
    const file = new SnapshotFile(dir, 'dp-token');
    let store = storeOf(sampleSnapshot(), 1);
    await file.record(store, null);
    const baseText = await readFile(file.path, 'utf8');
    let delta: DeltaMessage;
    [store, delta] = step(store, rename(1));
    await file.record(store, delta);
    [store, delta] = step(store, (s) => {
      s.credentials['cred-1'].apiKey = `${providerApiKey}-rotated`;
    });
    await file.record(store, delta);
    // The base was not rewritten; the journal holds its header and two lines.
    expect(await readFile(file.path, 'utf8')).toBe(baseText);
    const journal = await readFile(file.journalPath, 'utf8');
    expect(journal.trim().split('\n')).toHaveLength(3);
    expect(journal).not.toContain(providerApiKey);

    const loaded = await new SnapshotFile(dir, 'dp-token').load();
    expect(loaded).toEqual({ version: 3, hash: store.hash, snapshot: structuredClone(store.snapshot) });
    expect(loaded?.snapshot.credentials['cred-1'].apiKey).toBe(`${providerApiKey}-rotated`);
  });

  it('persists the limits kind in the base and the journal, and boots with its index', async () => {
    const file = new SnapshotFile(dir, 'dp-token');
    const first = sampleSnapshot();
    first.limits = {
      'lim-team': { id: 'lim-team', orgId: 'org-1', scope: 'team', scopeId: 'team-1', budgets: { monthly: 5 } },
    };
    let store = storeOf(first, 1);
    await file.record(store, null);
    const [next, delta] = step(store, (s) => {
      s.limits!['lim-key'] = { id: 'lim-key', orgId: 'org-1', scope: 'key', scopeId: 'key-good', budgets: {}, rpm: 3 };
      s.limits!['lim-team'].budgets = { daily: 7 };
    });
    store = next;
    await file.record(store, delta);
    const loaded = await new SnapshotFile(dir, 'dp-token').loadStore();
    expect(loaded?.hash).toBe(store.hash);
    expect(loaded?.hasLimits).toBe(true);
    expect(loaded?.hasRateLimits).toBe(true);
    expect(loaded?.limitsByScope.get('team:team-1')?.limit.budgets).toEqual({ daily: 7 });
    expect(loaded?.limitsByScope.get('key:key-good')?.limit.rpm).toBe(3);
    expect(loaded?.limitOrgs.get('org-1')).toBe(2);
  });

  it('ignores a torn last line, and appends after cutting it off', async () => {
    const file = new SnapshotFile(dir, 'dp-token');
    let store = storeOf(sampleSnapshot(), 1);
    await file.record(store, null);
    let delta: DeltaMessage;
    [store, delta] = step(store, rename(1));
    await file.record(store, delta);
    await appendFile(file.journalPath, '{"fromVersion":2,"version":3,"hash":"ab');
    const reopened = new SnapshotFile(dir, 'dp-token');
    expect((await reopened.load())?.version).toBe(2);
    [store, delta] = step(store, rename(2));
    await reopened.record(store, delta);
    const loaded = await new SnapshotFile(dir, 'dp-token').load();
    expect(loaded).toMatchObject({ version: 3, hash: store.hash });
  });

  it('stops replaying at a line that does not hash to what it announces', async () => {
    const file = new SnapshotFile(dir, 'dp-token');
    let store = storeOf(sampleSnapshot(), 1);
    await file.record(store, null);
    let delta: DeltaMessage;
    [store, delta] = step(store, rename(1));
    await file.record(store, delta);
    const good = store;
    [store, delta] = step(store, rename(2));
    await file.record(store, delta);
    const text = await readFile(file.journalPath, 'utf8');
    await writeFile(file.journalPath, text.replace('Acme 2', 'Acme X'));
    expect(await new SnapshotFile(dir, 'dp-token').load()).toMatchObject({ version: 2, hash: good.hash });
  });

  it('compacts the journal into a new base once it grows, in the background', async () => {
    const saved = { ...compactAfter };
    compactAfter.lines = 3;
    try {
      const file = new SnapshotFile(dir, 'dp-token');
      let store = storeOf(sampleSnapshot(), 1);
      await file.record(store, null);
      for (let i = 1; i <= 5; i++) {
        let delta: DeltaMessage;
        [store, delta] = step(store, rename(i));
        await file.record(store, delta);
      }
      const { header } = await readBaseFile(file.path);
      expect(header).toMatchObject({ format: 3, version: 5 });
      expect((await readFile(file.journalPath, 'utf8')).trim().split('\n')).toHaveLength(2);
      expect(await new SnapshotFile(dir, 'dp-token').load()).toMatchObject({ version: 6, hash: store.hash });
    } finally {
      Object.assign(compactAfter, saved);
    }
  });

  it('survives a crash in the middle of a compaction: a half-written base and a journal of the old base', async () => {
    const file = new SnapshotFile(dir, 'dp-token');
    let store = storeOf(sampleSnapshot(), 1);
    await file.record(store, null);
    let delta: DeltaMessage;
    [store, delta] = step(store, rename(1));
    await file.record(store, delta);
    const oldJournal = await readFile(file.journalPath, 'utf8');
    // Crash while the new base was being written: a torn temp file next to the intact base and journal.
    await writeFile(`${file.path}.999.tmp`, '{"format":2,"version":2,"hash":"');
    expect(await new SnapshotFile(dir, 'dp-token').load()).toMatchObject({ version: 2, hash: store.hash });
    // Crash after the new base was renamed into place, before the journal restarted: the old journal is ignored.
    await new SnapshotFile(dir, 'dp-token').record(store, null);
    await writeFile(file.journalPath, oldJournal);
    const reopened = new SnapshotFile(dir, 'dp-token');
    expect(await reopened.load()).toMatchObject({ version: 2, hash: store.hash });
    // The next delta does not extend the stale journal: a base is written first.
    [store, delta] = step(store, rename(2));
    await reopened.record(store, delta);
    expect(await new SnapshotFile(dir, 'dp-token').load()).toMatchObject({ version: 3, hash: store.hash });
  });

  it('reads a snapshot.json of the earlier format (v1 hash) and moves on to a base at the next change', async () => {
    const s = sampleSnapshot();
    const legacy = {
      format: 1,
      version: 9,
      hash: sha256Hex(canonicalJson(s)),
      savedAt: new Date().toISOString(),
      snapshot: sealSnapshot(deriveSnapshotKey('dp-token'), s),
    };
    const file = new SnapshotFile(dir, 'dp-token');
    await writeFile(file.path, JSON.stringify(legacy));
    const loaded = await file.load();
    expect(loaded).toEqual({ version: 9, hash: snapshotHash(s), snapshot: s });
    const [next, delta] = step(storeOf(s, 9), rename(1));
    await file.record(next, delta);
    expect((await readBaseFile(file.path)).header).toMatchObject({ format: 3, version: 10 });
    expect(await new SnapshotFile(dir, 'dp-token').load()).toMatchObject({ version: 10, hash: next.hash });
    // A tampered legacy file is refused.
    await writeFile(file.path, JSON.stringify({ ...legacy, hash: 'a'.repeat(64) }));
    await writeFile(file.journalPath, '');
    await expect(new SnapshotFile(dir, 'dp-token').load()).rejects.toThrow(/hash mismatch/);
  });

  it('reads a base of format 2 (one JSON document) with its journal, and appends to that journal', async () => {
    const file = new SnapshotFile(dir, 'dp-token');
    const first = storeOf(sampleSnapshot(), 4);
    const [second, delta] = step(first, rename(1));
    const s = sampleSnapshot();
    const whole = {
      format: 2,
      version: 4,
      hash: snapshotHash(s),
      savedAt: new Date().toISOString(),
      snapshot: sealSnapshot(deriveSnapshotKey('dp-token'), s),
    };
    await writeFile(file.path, JSON.stringify(whole));
    const { type: _t, ...line } = delta;
    await writeFile(file.journalPath, `${journalHeader(4, first.hash)}${JSON.stringify(line)}\n`);
    const reopened = new SnapshotFile(dir, 'dp-token');
    expect(await reopened.load()).toMatchObject({ version: 5, hash: second.hash });
    const [third, next] = step(second, rename(2));
    await reopened.record(third, next);
    // Appended to the journal of the format 2 base: no new base was written.
    expect(JSON.parse(await readFile(file.path, 'utf8'))).toMatchObject({ format: 2, version: 4 });
    expect(await new SnapshotFile(dir, 'dp-token').load()).toMatchObject({ version: 6, hash: third.hash });
  });
});
