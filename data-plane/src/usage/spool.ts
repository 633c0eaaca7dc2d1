// Append-only JSONL spool of usage records in DP_STATE_DIR: records are written here before they are
// batched, acknowledged by an ack line once the control plane took them, and replayed after a restart.
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { UsageRecord } from '@gw/schema';
import type { Logger } from '../logger.ts';

const fileName = 'usage-spool.jsonl';
/** Rewrite the file once this many acknowledged records (and more than are still open) sit in it. */
const compactAfterAcks = 1000;

export class UsageSpool {
  readonly path: string;
  readonly #logger: Logger | undefined;
  /** Appended in memory, written by the next flush(). */
  #pending: UsageRecord[] = [];
  /** On disk, not yet acknowledged, oldest first; [#head] is the oldest. */
  #open: UsageRecord[] = [];
  #head = 0;
  #ackedInFile = 0;
  /** Every file operation runs in this chain, so appends, acks and rewrites never interleave. */
  #io: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, logger?: Logger) {
    this.path = join(dir, fileName);
    this.#logger = logger;
  }

  /** Opens the spool, replaying records a previous run wrote but never got acknowledged. */
  static async open(dir: string, logger?: Logger): Promise<UsageSpool> {
    await mkdir(dir, { recursive: true });
    const spool = new UsageSpool(dir, logger);
    let text = '';
    try {
      text = await readFile(spool.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const records: UsageRecord[] = [];
    const seen = new Set<string>();
    const acked = new Set<string>();
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const entry = JSON.parse(line) as UsageRecord | { ack: string[] };
        if ('ack' in entry && Array.isArray(entry.ack)) for (const id of entry.ack) acked.add(id);
        else if ('requestId' in entry && !seen.has(entry.requestId)) {
          seen.add(entry.requestId);
          records.push(entry);
        }
      } catch {
        // A crash mid-write leaves at most a torn last line.
        skipped++;
      }
    }
    if (skipped) logger?.warn({ skipped }, 'skipped unreadable usage spool lines');
    spool.#open = records.filter((r) => !acked.has(r.requestId));
    await spool.#rewrite();
    if (spool.#open.length) logger?.info({ records: spool.#open.length }, 'replaying unacknowledged usage records');
    return spool;
  }

  /** Cheap: memory only. The record reaches disk with the next flush (the batch timer). */
  append(record: UsageRecord): void {
    this.#pending.push(record);
  }

  /** Records not yet written to disk. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Records on disk waiting for acknowledgement. */
  get openCount(): number {
    return this.#open.length - this.#head;
  }

  flush(): Promise<void> {
    return this.#run(async () => {
      if (!this.#pending.length) return;
      const batch = this.#pending;
      this.#pending = [];
      let text = '';
      for (const r of batch) text += `${JSON.stringify(r)}\n`;
      try {
        await appendFile(this.path, text);
      } catch (err) {
        // Keep them in memory (in order) and try again next flush.
        this.#pending = batch.concat(this.#pending);
        throw err;
      }
      for (const r of batch) this.#open.push(r);
    });
  }

  /** The oldest records that are on disk and not acknowledged, in order. */
  peek(max: number): UsageRecord[] {
    return this.#open.slice(this.#head, this.#head + max);
  }

  /** Marks the oldest `count` open records acknowledged (they were the last peek). */
  ack(count: number): Promise<void> {
    return this.#run(async () => {
      const done = this.#open.slice(this.#head, this.#head + count);
      if (!done.length) return;
      this.#head += done.length;
      if (this.#head > 4096 && this.#head * 2 > this.#open.length) {
        this.#open = this.#open.slice(this.#head);
        this.#head = 0;
      }
      this.#ackedInFile += done.length;
      if (this.openCount === 0 || (this.#ackedInFile >= compactAfterAcks && this.#ackedInFile > this.openCount)) {
        await this.#rewrite();
      } else {
        await appendFile(this.path, `${JSON.stringify({ ack: done.map((r) => r.requestId) })}\n`);
      }
    });
  }

  /** Replaces the file with just the open records (temp file + rename, so a crash keeps one or the other). */
  async #rewrite(): Promise<void> {
    let text = '';
    for (let i = this.#head; i < this.#open.length; i++) text += `${JSON.stringify(this.#open[i])}\n`;
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, text);
    await rename(tmp, this.path);
    this.#ackedInFile = 0;
    this.#logger?.debug({ open: this.openCount }, 'usage spool compacted');
  }

  #run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#io.then(op, op);
    this.#io = next.catch(() => {});
    return next;
  }
}
