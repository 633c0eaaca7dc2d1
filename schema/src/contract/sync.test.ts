import { describe, expect, it } from 'vitest';
import { snapshotProblems } from './consistency.ts';
import { emptySnapshot, type Snapshot } from './snapshot.ts';
import { snapshotHash } from './snapshot-hash.ts';
import { applyDelta, diffSnapshots, fullMessages, snapshotParts, syncMessage } from './sync.ts';

function sample(): Snapshot {
  const s = emptySnapshot();
  s.orgs.o1 = { id: 'o1', name: 'Acme', status: 'active' };
  s.teams.t1 = { id: 't1', orgId: 'o1', name: 'Core', status: 'active' };
  s.credentials.c1 = { id: 'c1', provider: 'openai', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'sk-x' };
  s.models.m1 = {
    id: 'm1',
    name: 'gpt-4o-mini',
    deployments: [{ credentialId: 'c1', upstreamModel: 'gpt-4o-mini', weight: 1 }],
    prices: { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 },
  };
  s.keys.k1 = {
    id: 'k1',
    hash: 'a'.repeat(64),
    prefix: 'sk-gw-abc',
    orgId: 'o1',
    teamId: 't1',
    userId: null,
    allowedModels: null,
    expiresAt: null,
  };
  return s;
}

describe('snapshot sync contract', () => {
  it('hashes independently of key order', () => {
    const a = sample();
    const reverse = (v: unknown): unknown =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v)
              .reverse()
              .map(([k, x]) => [k, reverse(x)]),
          )
        : v;
    const b = reverse(a) as Snapshot;
    expect(JSON.stringify(b)).not.toBe(JSON.stringify(a));
    expect(snapshotHash(b)).toBe(snapshotHash(a));
  });

  it('diff then apply reproduces the target exactly', () => {
    const from = sample();
    const to = sample();
    delete to.keys.k1;
    to.orgs.o1 = { ...to.orgs.o1, status: 'suspended' };
    to.orgs.o2 = { id: 'o2', name: 'Beta', status: 'active' };
    const delta = diffSnapshots(from, to);
    expect(delta.remove.keys).toEqual(['k1']);
    expect(Object.keys(delta.upsert.orgs ?? {}).sort()).toEqual(['o1', 'o2']);
    expect(delta.upsert.models).toBeUndefined();
    const applied = applyDelta(from, delta);
    expect(snapshotHash(applied)).toBe(snapshotHash(to));
    expect(from.keys.k1).toBeDefined();
  });

  it('finds dangling references', () => {
    const s = sample();
    s.keys.k1 = { ...s.keys.k1, teamId: 'nope' };
    delete s.credentials.c1;
    expect(snapshotProblems(s)).toEqual(['keys.k1: unknown team nope', 'models.m1: unknown credential c1']);
    expect(snapshotProblems(sample())).toEqual([]);
  });

  it('rejects malformed messages', () => {
    const s = sample();
    const ok = syncMessage.safeParse({
      type: 'full',
      version: 1,
      hash: snapshotHash(s),
      part: 1,
      parts: 1,
      resources: s,
    });
    expect(ok.success).toBe(true);
    const bad = syncMessage.safeParse({ type: 'delta', fromVersion: 1, version: 2, hash: 'x', upsert: {}, remove: {} });
    expect(bad.success).toBe(false);
  });

  it('refuses v1 full messages and parts beyond their count', () => {
    const s = sample();
    const v1 = syncMessage.safeParse({ type: 'full', version: 1, hash: snapshotHash(s), snapshot: s });
    expect(v1.success).toBe(false);
    const beyond = { type: 'full', version: 1, hash: snapshotHash(s), part: 3, parts: 2, resources: {} };
    expect(syncMessage.safeParse(beyond).success).toBe(false);
  });

  it('splits a snapshot into parts of at most the given size that add up to it', () => {
    const s = sample();
    for (let i = 0; i < 5; i++) s.orgs[`x${i}`] = { id: `x${i}`, name: `X${i}`, status: 'active' };
    const parts = snapshotParts(s, 3);
    // 6 orgs + team + credential + model + key = 10 resources.
    expect(parts.map((p) => Object.values(p).reduce((n, r) => n + Object.keys(r).length, 0))).toEqual([3, 3, 3, 1]);
    const merged = emptySnapshot() as Record<string, Record<string, unknown>>;
    for (const p of parts) for (const [k, r] of Object.entries(p)) Object.assign((merged[k] ??= {}), r);
    expect(snapshotHash(merged as Snapshot)).toBe(snapshotHash(s));
    const msgs = fullMessages(4, snapshotHash(s), s, 3);
    expect(msgs.map((m) => [m.part, m.parts, m.version])).toEqual([
      [1, 4, 4],
      [2, 4, 4],
      [3, 4, 4],
      [4, 4, 4],
    ]);
    for (const m of msgs) expect(syncMessage.safeParse(m).success).toBe(true);
    expect(snapshotParts(emptySnapshot())).toEqual([{}]);
  });
});
