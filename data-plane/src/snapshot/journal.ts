// The journal of deltas applied after the base snapshot (snapshot-journal.jsonl): its first line names the base it
// extends, then one line per delta. Replay applies each line to the store built from the base, O(change) per line.
import { type DeltaMessage, deltaMessage } from '@gw/schema';
import { applyDeltaToStore } from './delta.ts';
import { unsealCredentials } from './secrets.ts';
import type { SnapshotStore } from './store.ts';

export const journalName = 'snapshot-journal.jsonl';

export function journalHeader(version: number, hash: string): string {
  return `${JSON.stringify({ base: { version, hash } })}\n`;
}

export interface Replayed {
  version: number;
  hash: string;
  /** Deltas replayed. */
  lines: number;
  /** Bytes of the journal up to the last good line (the rest, torn or bad, is to be cut before appending). */
  goodBytes: number;
  /** The journal belongs to the base (else it was ignored, and a new base must be written before appending). */
  matches: boolean;
}

/**
 * Replays `text` onto `store` (the base it extends) as the deltas were applied when they arrived: each one checked,
 * hashed and derived in O(change) (delta.ts). Stops at the first line that is torn, unreadable, does not follow on,
 * or is refused (inconsistent, or not hashing to what it announces): everything before it stands.
 */
export function replayJournal(
  text: string,
  base: SnapshotStore,
  secretKey: Buffer,
): { store: SnapshotStore; replayed: Replayed } {
  let store = base;
  const out: Replayed = { version: base.version, hash: base.hash, lines: 0, goodBytes: 0, matches: false };
  const firstEnd = text.indexOf('\n');
  if (firstEnd < 0 || text.slice(0, firstEnd + 1) !== journalHeader(base.version, base.hash)) {
    return { store, replayed: out };
  }
  out.matches = true;
  out.goodBytes = firstEnd + 1;
  let at = firstEnd + 1;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    if (end < 0) break; // a torn last line
    let line: unknown;
    try {
      line = JSON.parse(text.slice(at, end));
    } catch {
      break;
    }
    const parsed = deltaMessage.safeParse({ type: 'delta', ...(line as object) });
    if (!parsed.success || parsed.data.fromVersion !== out.version) break;
    const delta = parsed.data;
    let credentials: DeltaMessage['upsert']['credentials'];
    try {
      credentials = unsealCredentials(secretKey, delta.upsert.credentials);
    } catch {
      break;
    }
    const outcome = applyDeltaToStore(store, { ...delta, upsert: { ...delta.upsert, credentials } }, 'disk');
    if (!outcome.ok) break;
    store = outcome.store;
    out.version = store.version;
    out.hash = store.hash;
    out.lines++;
    out.goodBytes = end + 1;
    at = end + 1;
  }
  return { store, replayed: out };
}
