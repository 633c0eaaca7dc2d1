// The scale benchmark's pure helpers: which requests overlapped a change, their figures, and the world's derived
// ids and secrets.
import { describe, expect, it } from 'vitest';
import { latencyFigures, type Sample, splitByWindows } from '../bench-scale/windows.ts';
import { keyHash, keyIndex, keyOrg, keySecret, scaleId, worldCounts } from '../bench-scale/world.ts';

const windows = [
  { start: 1_000, end: 1_100 },
  { start: 500, end: 600 },
];

describe('splitByWindows', () => {
  it.each<[string, Sample, 'during' | 'outside']>([
    ['ends before the first window', [0, 400, 200], 'outside'],
    ['ends just as a window starts', [400, 100, 200], 'outside'],
    ['runs into a window', [450, 60, 200], 'during'],
    ['lies inside a window', [1_010, 5, 200], 'during'],
    ['started before and ended after a window', [900, 300, 200], 'during'],
    ['starts as a window ends', [600, 10, 200], 'outside'],
    ['lies between windows', [700, 200, 200], 'outside'],
    ['starts after the last window', [1_200, 1, 0], 'outside'],
  ])('a request that %s counts as %s', (_, sample, side) => {
    const split = splitByWindows([sample], windows);
    expect(split[side]).toEqual([sample]);
    expect(split[side === 'during' ? 'outside' : 'during']).toEqual([]);
  });

  it('keeps every request exactly once, in order, with no windows all outside', () => {
    const samples: Sample[] = Array.from({ length: 50 }, (_, i) => [i * 30, 20, 200]);
    const split = splitByWindows(samples, windows);
    expect(split.during.length + split.outside.length).toBe(50);
    expect(splitByWindows(samples, []).outside).toEqual(samples);
  });
});

describe('latencyFigures', () => {
  it('gives nearest-rank percentiles, errors (non-2xx or no answer) and the requests over the threshold', () => {
    const samples: Sample[] = Array.from({ length: 100 }, (_, i) => [i, i + 1, i < 97 ? 200 : i === 97 ? 0 : 401]);
    const f = latencyFigures(samples, 90);
    expect(f).toMatchObject({ count: 100, p50: 50, p99: 99, max: 100, errors: 3, over: 10 });
  });

  it('is NaN for no requests, with zero counts', () => {
    const f = latencyFigures([], 50);
    expect(f.count).toBe(0);
    expect(f.p99).toBeNaN();
  });
});

describe('the world', () => {
  it('counts rows from its shape', () => {
    expect(worldCounts({ orgs: 1_000, teamsPerOrg: 5, usersPerOrg: 10, keysPerOrg: 100 })).toEqual({
      orgs: 1_000,
      teams: 5_000,
      users: 10_000,
      userTeams: 10_000,
      keys: 100_000,
    });
  });

  it('derives version-4-shaped ids, distinct per kind and index', () => {
    const ids = ['org', 'team', 'user', 'key'].flatMap((kind) =>
      Array.from({ length: 100 }, (_, i) => scaleId(kind as 'org', i)),
    );
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('derives key secrets of the control plane’s shape, and their SHA-256', () => {
    const secret = keySecret(42);
    expect(secret).toMatch(/^sk-gw-[0-9A-Za-z]{40}$/);
    expect(keySecret(43)).not.toBe(secret);
    expect(keyHash(secret)).toMatch(/^[0-9a-f]{64}$/);
    const shape = { orgs: 10, teamsPerOrg: 2, usersPerOrg: 3, keysPerOrg: 7 };
    expect(keyOrg(shape, keyIndex(shape, 4, 6))).toBe(4);
  });
});
