// The in-flight journal (DP_STATE_DIR/usage-inflight.jsonl): the start of every request forwarded to a provider, so
// that a crash still leaves a usage record for it. A request that ends within 100 ms costs an array push and nothing
// on disk; a longer one costs a begin line, an end line and, while it streams, a progress line per second. After a
// crash, the next start turns every begin without its end into an incomplete record (status 502, errorCode
// gateway_interrupted) with the tokens known at the last progress line.
import { type FileHandle, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nanoPerUsd, type UsageRecord } from '@gw/schema';
import type { Logger } from '../logger.ts';
import { type Exchange, usageCostNano, usageRecordOf } from './meter.ts';

export const inflightName = 'usage-inflight.jsonl';

/** Status and error code of a record written for a request its data plane did not live to finish. */
export const interrupted = { status: 502, errorCode: 'gateway_interrupted' } as const;

export interface InflightOptions {
  logger?: Logger;
  /** Begin and end lines reach the file at least this often (ms, default 100, as the usage spool). */
  writeIntervalMs?: number;
  /**
   * A request is noted once it has run this long (ms, default 100): most requests of a busy gateway end sooner and
   * then cost nothing here. A crash may leave the requests begun within the last this-plus-one-interval unrecorded.
   */
  journalAfterMs?: number;
  /** Tokens of running streams are written at most this often (ms, default 1000). */
  progressIntervalMs?: number;
  /** The file is rewritten with only the open requests once it grows past this (bytes, default 4 MiB). */
  compactBytes?: number;
  /** This process's boot (LeaseRequest.bootId): the records of requests a crash cut short carry it. */
  bootId?: string;
}

/** Journal lines: a begin holds the record as it would read were the request cut now; progress and end name it. */
type Line =
  | { b: UsageRecord }
  | { p: string; i: number; o: number; c: number; usd: number; ms: number }
  | { e: string };

/**
 * Reads what a previous run left: the records of requests that began and never ended, marked incomplete, oldest
 * first. The file stays until `open` starts a new one, so that a crash before the records are spooled loses nothing
 * (a second recovery yields the same requestIds, which ingestion counts as duplicates).
 */
export async function recoverInflight(stateDir: string, logger?: Logger): Promise<UsageRecord[]> {
  let text: string;
  try {
    text = await readFile(join(stateDir, inflightName), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const open = new Map<string, UsageRecord>();
  let torn = 0;
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      torn++; // the last line of a crash, cut midway
      continue;
    }
    if ('b' in line) open.set(line.b.requestId, line.b);
    else if ('e' in line) open.delete(line.e);
    else if ('p' in line) {
      const record = open.get(line.p);
      if (!record) continue;
      record.inputTokens = line.i;
      record.outputTokens = line.o;
      record.cachedInputTokens = line.c;
      record.costUsd = line.usd;
      record.latencyMs = line.ms;
    }
  }
  if (torn) logger?.warn({ lines: torn }, 'skipped unreadable lines of the in-flight journal');
  return [...open.values()];
}

export class InflightJournal {
  readonly path: string;
  readonly #nodeId: string;
  readonly #bootId: string | null;
  readonly #log: Logger | undefined;
  readonly #intervalMs: number;
  readonly #progressMs: number;
  readonly #afterMs: number;
  readonly #compactBytes: number;
  /** Journaled requests not finished. */
  readonly #open = new Set<Exchange>();
  /** Begun and not journaled yet: written once they have run journalAfterMs, unless finished by then. */
  #fresh: Exchange[] = [];
  /** Journaled requests finished since the last write. */
  #ended: string[] = [];
  #fh: FileHandle;
  #bytes = 0;
  #lastProgress = 0;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> | null = null;
  #failing = false;

  private constructor(path: string, fh: FileHandle, nodeId: string, o: InflightOptions) {
    this.path = path;
    this.#fh = fh;
    this.#nodeId = nodeId;
    this.#bootId = o.bootId ?? null;
    this.#log = o.logger;
    this.#intervalMs = o.writeIntervalMs ?? 100;
    this.#afterMs = o.journalAfterMs ?? 100;
    this.#progressMs = o.progressIntervalMs ?? 1000;
    this.#compactBytes = o.compactBytes ?? 4 << 20;
  }

  /** Starts an empty journal, replacing what a previous run left: call after its records are safely spooled. */
  static async open(stateDir: string, nodeId: string, options: InflightOptions = {}): Promise<InflightJournal> {
    const path = join(stateDir, inflightName);
    const fh = await open(path, 'w', 0o600);
    return new InflightJournal(path, fh, nodeId, options);
  }

  /** Hot path: memory only. The request is about to be sent to its provider. */
  begin(ex: Exchange): void {
    this.#fresh.push(ex);
  }

  /** Hot path: memory only. The request finished (its usage record is in the spool's hands). */
  end(ex: Exchange): void {
    if (ex.journaled && this.#open.delete(ex)) this.#ended.push(ex.requestId);
  }

  /** Requests begun and not ended. */
  get openCount(): number {
    return this.#open.size + this.#fresh.filter((ex) => !ex.finished).length;
  }

  start(): void {
    if (this.#timer) return;
    // Nothing begun or ended since the last write: the tick costs no promise (idle CPU).
    this.#timer = setInterval(() => {
      if (this.#fresh.length || this.#ended.length || this.#open.size) void this.flush();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Writes what changed since the last write; one write at a time. */
  flush(): Promise<void> {
    this.#writing ??= this.#write().finally(() => {
      this.#writing = null;
    });
    return this.#writing;
  }

  /**
   * Stops writing. Requests still open stay in the file: after a graceful stop there are none (the server drained
   * them); after a stop that cut some, the next start records them as incomplete, as after a crash.
   */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush();
    await this.#fh.close();
  }

  async #write(): Promise<void> {
    const now = performance.now();
    const progress = now - this.#lastProgress >= this.#progressMs;
    const lines: string[] = [];
    const young: Exchange[] = [];
    for (const ex of this.#fresh) {
      if (ex.finished) continue;
      if (now - ex.t0 < this.#afterMs) {
        young.push(ex);
        continue;
      }
      const record = this.#record(ex, now);
      if (!record) continue;
      lines.push(JSON.stringify({ b: record }));
      ex.journaled = true;
      this.#open.add(ex);
    }
    this.#fresh = young;
    if (progress) {
      this.#lastProgress = now;
      for (const ex of this.#open) {
        if (ex.tokensSoFar) lines.push(this.#progressLine(ex, now));
      }
    }
    for (const id of this.#ended) lines.push(JSON.stringify({ e: id }));
    this.#ended = [];
    if (!lines.length) return;
    const text = `${lines.join('\n')}\n`;
    try {
      await this.#fh.write(text);
      this.#bytes += Buffer.byteLength(text);
      if (this.#failing) this.#log?.info('the in-flight journal can be written again');
      this.#failing = false;
      if (this.#bytes > this.#compactBytes) await this.#compact(now);
    } catch (err) {
      // Serving goes on; a crash meanwhile would leave these requests without a record, as before the journal.
      if (!this.#failing) this.#log?.error({ err }, 'could not write the in-flight journal');
      this.#failing = true;
    }
  }

  /** The record as it would read were the request cut now; null before it was authenticated. */
  #record(ex: Exchange, now: number): UsageRecord | null {
    if (!ex.key) return null;
    const usage = ex.tokensSoFar?.() ?? null;
    const latencyMs = now - ex.t0;
    return {
      ...usageRecordOf(ex, ex.key, this.#nodeId, this.#bootId, {
        ...interrupted,
        usage,
        costUsd: usageCostNano(ex.modelEntry, usage) / nanoPerUsd,
        latencyMs,
        overheadMs: 0,
      }),
      incomplete: true,
    };
  }

  #progressLine(ex: Exchange, now: number): string {
    const usage = ex.tokensSoFar!();
    const usd = usageCostNano(ex.modelEntry, usage) / nanoPerUsd;
    return JSON.stringify({
      p: ex.requestId,
      i: usage.inputTokens,
      o: usage.outputTokens,
      c: usage.cachedInputTokens,
      usd,
      ms: now - ex.t0,
    });
  }

  /** Rewrites the file with a begin line (tokens as of now) per open request, replacing it atomically. */
  async #compact(now: number): Promise<void> {
    const lines: string[] = [];
    for (const ex of this.#open) {
      const record = this.#record(ex, now);
      if (record) lines.push(JSON.stringify({ b: record }));
    }
    const tmp = `${this.path}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      const text = lines.length ? `${lines.join('\n')}\n` : '';
      await fh.write(text);
      await rename(tmp, this.path);
      await this.#fh.close();
      this.#fh = fh;
      this.#bytes = Buffer.byteLength(text);
    } catch (err) {
      await fh.close();
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
