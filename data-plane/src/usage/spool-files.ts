// The usage spool's on-disk layout: segment files named by the sequence number of their first line, the
// durable ack cursor, and reading one segment back. Every function here touches one file at a time.
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { UsageRecord } from '@gw/schema';
import { privateFileMode } from '../state-dir.ts';

/**
 * One usage record as its JSON text (no newline): serialised once when it is recorded, then written to disk and
 * sent to the control plane as is, so that records waiting for acknowledgement are flat strings, not objects.
 */
export type RecordLine = string;

/** Directory of the spool inside DP_STATE_DIR. */
export const spoolDirName = 'usage-spool';
/** The single-file spool of earlier versions, migrated once at start. */
export const legacySpoolName = 'usage-spool.jsonl';

const segmentPattern = /^seg-(\d{16})\.jsonl$/;
const cursorName = 'ack-cursor';

/** `seg-<first>.jsonl`: zero-padded so that names sort like numbers. */
export function segmentName(first: number): string {
  return `seg-${String(first).padStart(16, '0')}.jsonl`;
}

export interface SegmentFile {
  /** Sequence number of the segment's first line; line i holds record `first + i`. */
  first: number;
  path: string;
  bytes: number;
}

/** The segment files in `dir`, oldest first. */
export async function listSegments(dir: string): Promise<SegmentFile[]> {
  const out: SegmentFile[] = [];
  for (const name of await readdir(dir)) {
    const m = segmentPattern.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    out.push({ first: Number(m[1]), path, bytes: (await stat(path)).size });
  }
  return out.sort((a, b) => a.first - b.first);
}

/** Lines in a file, a torn (unterminated) last line included; streams, so memory stays small. */
export async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length) last = chunk[chunk.length - 1];
  }
  return last === 0x0a ? lines : lines + 1;
}

export interface LoadedSegment {
  records: RecordLine[];
  /** Sequence number of each record (parallel to `records`). */
  seqs: number[];
  /** Lines that could not be read (a torn last line after a crash, or damage). */
  skipped: number;
}

/**
 * Reads lines [from, limit) of one segment. Lines past `limit` are ignored: they can only be the partial
 * remains of a failed write whose records were written again to the next segment. `written` (this process wrote the
 * segment and counted its lines): they are taken as they are; otherwise each must parse as a record (about 2 µs a
 * line, which a running data plane would otherwise pay for every record it sends).
 */
export async function readSegment(
  path: string,
  first: number,
  from: number,
  limit: number,
  written = false,
): Promise<LoadedSegment> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  // After a final newline split() yields one empty string; an unterminated last line is torn.
  const complete = lines.length - 1;
  const out: LoadedSegment = { records: [], seqs: [], skipped: 0 };
  for (let i = from; i < Math.min(limit, lines.length); i++) {
    const line = lines[i];
    if (i === complete) {
      if (line) out.skipped++;
      break;
    }
    if (written || parseRecord(line)) {
      out.records.push(line);
      out.seqs.push(first + i);
    } else out.skipped++;
  }
  return out;
}

/** A spooled line back to a record; null for anything that is not a record (the control plane validates the rest). */
export function parseRecord(line: string): UsageRecord | null {
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' && typeof (v as UsageRecord).requestId === 'string' ? (v as UsageRecord) : null;
  } catch {
    return null;
  }
}

/** Records with a sequence number below the cursor are acknowledged. Absent: nothing is. */
export async function readCursor(dir: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(join(dir, cursorName), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const n = Number(text.trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Temp file, fdatasync, rename: a crash leaves the old cursor or the new one, never a torn one. */
export async function writeCursor(dir: string, seq: number): Promise<void> {
  const tmp = join(dir, `${cursorName}.tmp`);
  const fh = await open(tmp, 'w', privateFileMode);
  try {
    await fh.writeFile(`${seq}\n`);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, cursorName));
}

/** Makes a file creation or rename in `dir` survive a power loss (a process crash does not need it). */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
