// Segmented on-disk spool of usage records in DP_STATE_DIR/usage-spool. Records wait in memory for at most
// one write interval (100 ms), then go to the current segment with one append (fdatasync at most every second); batches are read
// back from the oldest segment, the only one held in memory; a durable cursor records acknowledgements and a
// fully acknowledged segment is deleted. Memory is independent of how much is spooled; disk is capped.
import { type FileHandle, mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { UsageRecord } from '@gw/schema';
import type { Logger } from '../logger.ts';
import { privateDirMode, privateFileMode } from '../state-dir.ts';
import { readLegacySpool } from './legacy-spool.ts';
import { type DropReason, SpoolAlarms } from './spool-alarms.ts';
import {
  countLines,
  legacySpoolName,
  listSegments,
  type RecordLine,
  readCursor,
  readSegment,
  segmentName,
  spoolDirName,
  syncDir,
  writeCursor,
} from './spool-files.ts';

export type { DropReason };

export interface UsageSpoolOptions {
  logger?: Logger;
  /** Bytes all segment files may take together; records beyond are dropped (counted, logged). Default 1 GiB. */
  maxBytes?: number;
  /** A segment is closed and a new one started past this many records (default 10,000)... */
  segmentRecords?: number;
  /** ...or bytes (default 8 MiB, at most a quarter of maxBytes). */
  segmentBytes?: number;
  /** Pending records reach disk at least this often once start() ran, ms (default 100). */
  writeIntervalMs?: number;
  /**
   * At most this often (ms, default 1000) a write also fdatasyncs its segment, and an acknowledgement reaches the
   * cursor file. A process crash loses nothing written (the page cache outlives the process); an OS crash or power
   * loss may lose the records of the last interval, or repeat acknowledged ones (ingestion is idempotent).
   */
  syncIntervalMs?: number;
  /** Records waiting for a failing disk beyond which new ones are dropped (default 50,000). */
  maxPendingRecords?: number;
  /** Called with the records dropped since the last call, from the write timer and close() (metrics). */
  onDropped?: (count: number, reason: DropReason) => void;
}

interface Segment {
  readonly first: number;
  readonly path: string;
  /**
   * Written by this process: its first `lines` lines are the JSON this process wrote, whole (a failed write's
   * partial line lies past them), so reading it back need not parse each one again.
   */
  readonly ours: boolean;
  /** Lines that count: record `first + i` is line i, for i < lines. */
  lines: number;
  bytes: number;
}

/** The oldest segment, in memory: its unacknowledged records from `next` on. */
interface Head {
  readonly seg: Segment;
  records: RecordLine[];
  seqs: number[];
  next: number;
}

interface Writer {
  readonly seg: Segment;
  readonly fh: FileHandle;
  /** A write failed midway: a partial line may end the file, so nothing may be appended after it. */
  broken: boolean;
}

export class UsageSpool {
  readonly dir: string;
  readonly #log: Logger | undefined;
  readonly #maxBytes: number;
  readonly #segRecords: number;
  readonly #segBytes: number;
  readonly #intervalMs: number;
  readonly #maxPending: number;
  readonly #syncMs: number;
  readonly #alarms: SpoolAlarms;
  #syncedAt = Number.NEGATIVE_INFINITY;
  /** The acknowledged position last written to the cursor file. */
  #cursorSeq = 0;
  #cursorAt = Number.NEGATIVE_INFINITY;

  /** Appended by the request path, written by the next write. */
  #pending: RecordLine[] = [];
  /** Oldest first; the last one is the writer's when there is a writer. */
  #segments: Segment[] = [];
  #head: Head | null = null;
  #writer: Writer | null = null;
  #nextSeq = 0;
  #ackedSeq = 0;
  #diskBytes = 0;
  /** Set when a write had to drop records for the cap; cleared when a segment is deleted. */
  #full = false;
  #writes = 0;
  #timer: NodeJS.Timeout | null = null;
  /** Every file operation runs in this chain, so writes, reads, acks and deletions never interleave. */
  #io: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, o: UsageSpoolOptions) {
    this.dir = dir;
    this.#log = o.logger;
    this.#maxBytes = o.maxBytes ?? 1024 ** 3;
    this.#segRecords = o.segmentRecords ?? 10_000;
    this.#segBytes = o.segmentBytes ?? Math.min(8 * 1024 ** 2, Math.floor(this.#maxBytes / 4));
    this.#intervalMs = o.writeIntervalMs ?? 100;
    this.#maxPending = o.maxPendingRecords ?? 50_000;
    this.#syncMs = o.syncIntervalMs ?? 1000;
    this.#alarms = new SpoolAlarms(o.logger, o.onDropped);
  }

  /**
   * Opens the spool in `stateDir`: finds the segments a previous run left (reading none but the oldest),
   * migrates an old single-file spool, and loads the oldest segment. Appends always go to a new segment.
   */
  static async open(stateDir: string, options: UsageSpoolOptions = {}): Promise<UsageSpool> {
    const dir = join(stateDir, spoolDirName);
    await mkdir(dir, { recursive: true, mode: privateDirMode });
    const spool = new UsageSpool(dir, options);
    await spool.#init(join(stateDir, legacySpoolName));
    return spool;
  }

  /**
   * Hot path: memory only, never awaits. The record is serialised here, once: the object dies young, and what
   * waits for the disk and the control plane is one flat string (cheap for the garbage collector).
   */
  append(record: UsageRecord): void {
    if (this.#full) this.#alarms.drop(1, 'spool_full');
    else if (this.#pending.length >= this.#maxPending) this.#alarms.drop(1, 'spool_unwritable');
    else this.#pending.push(JSON.stringify(record));
  }

  /** Starts the write timer: pending records reach disk within one interval. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      // Idle, nothing to write and no acknowledgement to record: no file operation is queued (idle CPU).
      if (this.#pending.length) this.flush().catch(() => {});
      if (this.#cursorSeq !== this.#ackedSeq) void this.#run(() => this.#saveCursor(false));
      this.#reportDrops(false);
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Writes the pending records now (one append + fdatasync per segment touched). Rejects if the disk fails. */
  flush(): Promise<void> {
    return this.#run(() => this.#write());
  }

  /** Stops the timer, writes what is pending, and closes the segment (deleting it if fully acknowledged). */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    try {
      await this.flush();
    } finally {
      await this.#run(async () => {
        await this.#saveCursor(true);
        const w = this.#writer;
        if (!w) return;
        this.#writer = null;
        await w.fh.datasync().catch((err: unknown) => this.#log?.error({ err }, 'usage spool could not sync'));
        await w.fh.close();
        await this.#reclaim();
      });
      this.#reportDrops(true);
    }
  }

  /** Up to `max` of the oldest unacknowledged records on disk, in order, all from the oldest segment. */
  read(max: number): Promise<RecordLine[]> {
    return this.#run(async () => {
      if (!this.#head) await this.#loadHead();
      const h = this.#head;
      return h ? h.records.slice(h.next, h.next + max) : [];
    });
  }

  /**
   * Acknowledges the first `count` records of the last read. Never rejects: if the cursor cannot be written,
   * the records count as acknowledged for this run and are sent again after a restart (ingestion is idempotent).
   */
  ack(count: number): Promise<void> {
    return this.#run(async () => {
      const h = this.#head;
      const n = h ? Math.min(count, h.records.length - h.next) : 0;
      if (!h || n <= 0) return;
      h.next += n;
      this.#ackedSeq = h.seqs[h.next - 1] + 1;
      if (h.next === h.records.length) {
        h.records = [];
        h.seqs = [];
        h.next = 0;
      }
      await this.#saveCursor(false);
      await this.#reclaim().catch((err: unknown) => this.#log?.error({ err }, 'usage spool could not load a segment'));
    });
  }

  /** Records in memory waiting for the next write. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Records on disk not yet acknowledged, in every segment. */
  get openCount(): number {
    const h = this.#head;
    let n = h ? h.records.length - h.next : 0;
    for (const s of this.#segments) if (s !== h?.seg) n += s.lines - Math.max(0, this.#ackedSeq - s.first);
    return n;
  }

  /** Records held in memory: pending plus the oldest segment's. Bounded by one segment + maxPendingRecords. */
  get memoryCount(): number {
    return this.#pending.length + (this.#head?.records.length ?? 0);
  }

  get stats(): { writes: number; segments: number; bytes: number; dropped: Record<DropReason, number> } {
    return {
      writes: this.#writes,
      segments: this.#segments.length,
      bytes: this.#diskBytes,
      dropped: { ...this.#alarms.dropped },
    };
  }

  async #init(legacyPath: string): Promise<void> {
    const cursor = await readCursor(this.dir);
    if (cursor === null) this.#log?.warn('unreadable usage ack cursor; unsent records may be sent twice');
    this.#ackedSeq = cursor ?? 0;
    this.#cursorSeq = this.#ackedSeq;
    const files = await listSegments(this.dir);
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      // A segment's length follows from the next one's name; only the newest must be counted (streamed).
      const lines = i + 1 < files.length ? files[i + 1].first - f.first : await countLines(f.path);
      this.#nextSeq = Math.max(this.#nextSeq, f.first + lines);
      if (!lines || f.first + lines <= this.#ackedSeq) {
        await unlink(f.path);
        continue;
      }
      this.#segments.push({ first: f.first, path: f.path, ours: false, lines, bytes: f.bytes });
      this.#diskBytes += f.bytes;
    }
    this.#nextSeq = Math.max(this.#nextSeq, this.#ackedSeq);
    await this.#migrate(legacyPath);
    await this.#loadHead();
    if (this.openCount) this.#log?.info({ records: this.openCount }, 'replaying unacknowledged usage records');
  }

  /** Moves an old single-file spool into segments, then deletes it (a crash in between only repeats records). */
  async #migrate(path: string): Promise<void> {
    const skipped = { lines: 0 };
    let records = 0;
    try {
      for await (const r of readLegacySpool(path, skipped)) {
        this.#pending.push(r);
        records++;
        if (this.#pending.length >= this.#segRecords) await this.#write();
      }
      await this.#write();
      await unlink(path);
      await unlink(`${path}.tmp`).catch(() => {});
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !records) return;
      this.#log?.error({ err, path }, 'could not migrate the old usage spool; will retry at the next start');
      return;
    }
    if (skipped.lines) this.#log?.warn({ skipped: skipped.lines, path }, 'skipped unreadable usage spool lines');
    this.#log?.info({ records, path }, 'migrated the old usage spool into segments');
  }

  async #write(): Promise<void> {
    this.#reportDrops(false);
    while (this.#pending.length) {
      let w: Writer;
      try {
        w = await this.#writable();
      } catch (err) {
        this.#alarms.writeFailed(err, this.#pending.length);
        throw err;
      }
      const room = this.#segRecords - w.seg.lines;
      const batch = this.#pending.length > room ? this.#pending.splice(0, room) : this.#pending.splice(0);
      let data = Buffer.from(`${batch.join('\n')}\n`);
      let kept = batch.length;
      if (this.#diskBytes + data.length > this.#maxBytes) {
        // Over the cap: keep the records that fit, in order, and drop the rest (and new ones until space frees).
        let bytes = 0;
        kept = 0;
        for (const r of batch) {
          const n = Buffer.byteLength(r) + 1;
          if (this.#diskBytes + bytes + n > this.#maxBytes) break;
          bytes += n;
          kept++;
        }
        this.#full = true;
        this.#alarms.drop(batch.length - kept + this.#pending.length, 'spool_full');
        this.#pending = [];
        this.#reportDrops(false);
        if (!kept) return;
        data = data.subarray(0, bytes);
      }
      try {
        await w.fh.writeFile(data);
        if (performance.now() - this.#syncedAt >= this.#syncMs) {
          await w.fh.datasync();
          this.#syncedAt = performance.now();
        }
      } catch (err) {
        w.broken = true;
        this.#pending = batch.slice(0, kept).concat(this.#pending);
        this.#alarms.writeFailed(err, this.#pending.length);
        throw err;
      }
      this.#alarms.writeWorked();
      const first = w.seg.first + w.seg.lines;
      w.seg.lines += kept;
      w.seg.bytes += data.length;
      this.#diskBytes += data.length;
      this.#nextSeq = w.seg.first + w.seg.lines;
      this.#writes++;
      const h = this.#head;
      if (h?.seg === w.seg) {
        for (let i = 0; i < kept; i++) {
          h.records.push(batch[i]);
          h.seqs.push(first + i);
        }
      }
    }
  }

  /** The writer, rolling over to a new segment when the current one is full or broken. */
  async #writable(): Promise<Writer> {
    const current = this.#writer;
    if (current && !current.broken && current.seg.lines < this.#segRecords && current.seg.bytes < this.#segBytes) {
      return current;
    }
    if (current) {
      this.#writer = null;
      await current.fh.close().catch(() => {});
      await this.#reclaim();
    }
    const path = join(this.dir, segmentName(this.#nextSeq));
    const seg: Segment = { first: this.#nextSeq, path, ours: true, lines: 0, bytes: 0 };
    const fh = await open(seg.path, 'a', privateFileMode);
    try {
      await syncDir(this.dir);
    } catch (err) {
      await fh.close().catch(() => {});
      throw err;
    }
    this.#segments.push(seg);
    this.#writer = { seg, fh, broken: false };
    if (!this.#head && this.#segments.length === 1) this.#head = { seg, records: [], seqs: [], next: 0 };
    return this.#writer;
  }

  /** Loads the oldest segment that still holds unacknowledged records, deleting acknowledged ones on the way. */
  async #loadHead(): Promise<void> {
    while (!this.#head && this.#segments.length) {
      const seg = this.#segments[0];
      const from = Math.max(0, this.#ackedSeq - seg.first);
      const loaded = await readSegment(seg.path, seg.first, from, seg.lines, seg.ours);
      if (loaded.skipped) {
        this.#log?.warn({ skipped: loaded.skipped, segment: seg.path }, 'skipped unreadable usage spool lines');
      }
      this.#head = { seg, records: loaded.records, seqs: loaded.seqs, next: 0 };
      if (this.#headDone()) await this.#deleteHead();
    }
  }

  /** Deletes the oldest segment once it is fully acknowledged, and loads the next one. */
  async #reclaim(): Promise<void> {
    if (!this.#headDone()) return;
    await this.#deleteHead();
    await this.#loadHead();
  }

  /**
   * True when the oldest segment holds nothing unacknowledged and may go. The writer's own segment stays
   * for more appends unless the spool is full (then its space is needed now).
   */
  #headDone(): boolean {
    const h = this.#head;
    if (!h || h.next < h.records.length) return false;
    return this.#writer?.seg !== h.seg || this.#full;
  }

  async #deleteHead(): Promise<void> {
    const seg = this.#head!.seg;
    const w = this.#writer;
    if (w?.seg === seg) {
      this.#writer = null;
      await w.fh.close().catch(() => {});
    }
    this.#head = null;
    this.#segments.shift();
    this.#diskBytes -= seg.bytes;
    this.#full = false;
    await unlink(seg.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') this.#log?.error({ err, segment: seg.path }, 'could not delete a usage segment');
    });
  }

  /** Writes the acknowledged position when it moved and the interval passed (or `force`). Never rejects. */
  async #saveCursor(force: boolean): Promise<void> {
    if (this.#cursorSeq === this.#ackedSeq) return;
    if (!force && performance.now() - this.#cursorAt < this.#syncMs) return;
    const seq = this.#ackedSeq;
    try {
      await writeCursor(this.dir, seq);
      this.#cursorSeq = seq;
      this.#cursorAt = performance.now();
    } catch (err) {
      this.#log?.error({ err }, 'usage spool could not record an acknowledgement');
    }
  }

  #reportDrops(force: boolean): void {
    this.#alarms.report(force, { bytes: this.#diskBytes, maxBytes: this.#maxBytes });
  }

  #run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#io.then(op, op);
    this.#io = next.catch(() => {});
    return next;
  }
}
