// The journal of deltas applied after the base snapshot (snapshot-journal.jsonl): its first line names the base it
// extends, then one line per delta. Replay mutates a plain snapshot in place, O(change) per line.
import {
  type AnyResource,
  deltaMessage,
  dropEmptyOptionalKinds,
  type ResourceKind,
  resourceKinds,
  type Snapshot,
  SnapshotHasher,
} from '@gw/schema';
import { unsealCredentials } from './secrets.ts';

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
 * Replays `text` onto `snapshot` (changed in place), which is at `version`/`hash`. Stops at the first line that is
 * torn, unreadable, does not follow on, or does not hash to what it announces: everything before it stands.
 */
export function replayJournal(
  text: string,
  snapshot: Snapshot,
  base: { version: number; hash: string },
  secretKey: Buffer,
): Replayed {
  const out: Replayed = { version: base.version, hash: base.hash, lines: 0, goodBytes: 0, matches: false };
  const firstEnd = text.indexOf('\n');
  if (firstEnd < 0 || text.slice(0, firstEnd + 1) !== journalHeader(base.version, base.hash)) return out;
  out.matches = true;
  out.goodBytes = firstEnd + 1;
  let hasher = SnapshotHasher.fromHex(base.hash);
  const records = snapshot as unknown as Record<ResourceKind, Record<string, AnyResource> | undefined>;
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
    let upsert: Record<string, Record<string, AnyResource> | undefined>;
    try {
      upsert = { ...delta.upsert, credentials: unsealCredentials(secretKey, delta.upsert.credentials) };
    } catch {
      break;
    }
    const trial = hasher.clone();
    const undo: [ResourceKind, string, AnyResource | undefined][] = [];
    for (const kind of resourceKinds) {
      const rec = (records[kind] ??= {});
      const put = (id: string, r: AnyResource | undefined) => {
        const old = Object.hasOwn(rec, id) ? rec[id] : undefined;
        undo.push([kind, id, old]);
        if (old) trial.remove(kind, id, old);
        if (r) {
          rec[id] = r;
          trial.add(kind, id, r);
        } else delete rec[id];
      };
      for (const id of delta.remove[kind] ?? []) put(id, undefined);
      for (const [id, r] of Object.entries(upsert[kind] ?? {})) put(id, r);
    }
    if (trial.hex !== delta.hash) {
      for (const [kind, id, old] of undo.reverse()) {
        const rec = records[kind] as Record<string, AnyResource>;
        if (old) rec[id] = old;
        else delete rec[id];
      }
      break;
    }
    hasher = trial;
    out.version = delta.version;
    out.hash = trial.hex;
    out.lines++;
    out.goodBytes = end + 1;
    at = end + 1;
  }
  dropEmptyOptionalKinds(records);
  return out;
}
