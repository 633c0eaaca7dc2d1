// Exactly-once checks on usage: the set of request ids the clients saw against the set stored in usage_records.
import { expect } from 'vitest';
import type { TestDatabase } from '../harness/postgres.ts';
import { sleep, waitFor } from '../harness/wait.ts';

export interface IdDiff {
  seen: number;
  recorded: number;
  /** Seen by a client, not stored. */
  missing: string[];
  /** Stored, never seen by a client. */
  extra: string[];
  /** Stored more than once (impossible while request_id is unique; checked so a schema change cannot hide it). */
  duplicated: string[];
  /** Answered to clients more than once: two calls shared an id. */
  seenTwice: string[];
}

export interface RecordedFilter {
  /** Only rows of these nodes. */
  nodeIds?: string[];
  /** Request ids to leave out (rows stored before the part of the test being checked). */
  ignore?: ReadonlySet<string>;
}

/** Request id -> number of rows. */
export async function recordedIds(db: TestDatabase, filter: RecordedFilter = {}): Promise<Map<string, number>> {
  const { rows } = await db.pool.query<{ request_id: string; n: number }>(
    `select request_id, count(*)::int as n from usage_records
      where ($1::text[] is null or node_id = any($1::text[])) group by request_id`,
    [filter.nodeIds ?? null],
  );
  const ids = new Map<string, number>();
  for (const r of rows) if (!filter.ignore?.has(r.request_id)) ids.set(r.request_id, r.n);
  return ids;
}

export function diffIds(seen: readonly string[], recorded: Map<string, number>): IdDiff {
  const seenSet = new Set(seen);
  const counts = new Map<string, number>();
  for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
  return {
    seen: seenSet.size,
    recorded: recorded.size,
    missing: [...seenSet].filter((id) => !recorded.has(id)),
    extra: [...recorded.keys()].filter((id) => !seenSet.has(id)),
    duplicated: [...recorded].filter(([, n]) => n > 1).map(([id]) => id),
    seenTwice: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
  };
}

/**
 * Waits (bounded) until every id of `mustArrive` (default: every seen id) is stored, then waits `settleMs` more so
 * that late retries would show up as extras or duplicates, and returns the final comparison.
 */
export async function settledDiff(
  db: TestDatabase,
  seen: readonly string[],
  opts: RecordedFilter & { mustArrive?: readonly string[]; timeoutMs?: number; settleMs?: number } = {},
): Promise<IdDiff> {
  const wanted = opts.mustArrive ?? seen;
  await waitFor(
    `usage rows for all ${new Set(wanted).size} request ids`,
    async () => {
      const stored = await recordedIds(db, opts);
      return wanted.every((id) => stored.has(id));
    },
    { timeoutMs: opts.timeoutMs ?? 20_000, intervalMs: 100 },
  ).catch(() => {
    // reported by the comparison below, with the ids
  });
  await sleep(opts.settleMs ?? 1_000);
  return diffIds(seen, await recordedIds(db, opts));
}

const sample = (ids: string[]) => (ids.length ? ` e.g. ${ids.slice(0, 5).join(', ')}` : '');

/** Same ids, each stored once: the assertion message lists a few ids of every kind of mismatch. */
export function expectExactlyOnce(diff: IdDiff): void {
  const message = [
    `seen ${diff.seen}, recorded ${diff.recorded}`,
    `missing ${diff.missing.length}${sample(diff.missing)}`,
    `extra ${diff.extra.length}${sample(diff.extra)}`,
    `duplicated ${diff.duplicated.length}${sample(diff.duplicated)}`,
    `seen twice ${diff.seenTwice.length}${sample(diff.seenTwice)}`,
  ].join('; ');
  expect(
    {
      recorded: diff.recorded,
      missing: diff.missing.length,
      extra: diff.extra.length,
      duplicated: diff.duplicated.length,
      seenTwice: diff.seenTwice.length,
    },
    message,
  ).toEqual({ recorded: diff.seen, missing: 0, extra: 0, duplicated: 0, seenTwice: 0 });
}
