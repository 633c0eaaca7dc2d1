// Sends spooled usage records to the control plane in order, in batches (by size or by timer), retrying
// with backoff. Every record of an answered batch leaves the spool: accepted, duplicate, or rejected and kept in the
// dead-letter file (so a record the control plane can never take never blocks the records behind it).
import type { IngestResult, UsageRecord } from '@gw/schema';
import { type BackoffOptions, backoffDelay } from '../backoff.ts';
import type { Logger } from '../logger.ts';
import type { UsageSink } from '../routes/deps.ts';
import type { DeadLetter, DeadLetterFile } from './dead-letter.ts';
import type { UsageSpool } from './spool.ts';
import type { RecordLine } from './spool-files.ts';

/** Sends record lines (JSON texts of UsageRecords) as one batch. */
export type SendBatch = (records: RecordLine[]) => Promise<IngestResult>;

export interface UsageBatcherOptions {
  spool: UsageSpool;
  send: SendBatch;
  batchSize: number;
  flushMs: number;
  logger: Logger;
  backoff?: BackoffOptions;
  /**
   * True for a refusal of the whole batch that retrying the same batch can never fix. The batch is then
   * sent again in halves, down to single records, so that only the records at fault are rejected.
   */
  isPermanent?: (err: unknown) => boolean;
  /** Where rejected records go before they leave the spool. */
  deadLetter: DeadLetterFile;
  /** Called with the number of records the control plane rejected (metrics). */
  onRejected?: (count: number) => void;
}

/** The requestId of a record line, for logs (only read on the rare path of a rejected record). */
function requestIdOf(line: RecordLine | undefined): string | null {
  try {
    const id = line === undefined ? undefined : (JSON.parse(line) as Partial<UsageRecord>).requestId;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

/**
 * Retries of a failed send: 250 ms doubling to 2 s (with jitter), so that usage flows again within a second or two of
 * the control plane being back. A failed attempt costs one refused connection or one error answer: cheap enough to
 * repeat every 1-2 s per data plane.
 */
export const usageRetryBackoff: BackoffOptions = { minMs: 250, maxMs: 2_000 };

/** Rejected records logged one by one per batch; the rest are summed up in one line. */
const logRejectedMax = 20;

export class UsageBatcher implements UsageSink {
  readonly #o: UsageBatcherOptions;
  readonly #backoff: BackoffOptions;
  #timer: NodeJS.Timeout | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #failures = 0;
  #retryAt = 0;
  #kicked = false;
  /** Batch size: halved after a refused batch, doubled back after each answered one. */
  #limit: number;

  constructor(options: UsageBatcherOptions) {
    this.#o = options;
    this.#backoff = options.backoff ?? usageRetryBackoff;
    this.#limit = options.batchSize;
  }

  /** Hot path: memory only. A full batch wakes the sender early. */
  record(record: UsageRecord): void {
    this.#o.spool.append(record);
    if (!this.#kicked && this.#o.spool.pendingCount >= this.#o.batchSize) {
      this.#kicked = true;
      setImmediate(() => {
        this.#kicked = false;
        void this.flush();
      });
    }
  }

  /** Starts the spool's write timer and the send timer. */
  start(): void {
    if (this.#timer) return;
    this.#o.spool.start();
    // An empty spool (the idle case) costs the tick nothing but this check.
    this.#timer = setInterval(() => {
      if (this.#o.spool.pendingCount || this.#o.spool.openCount) void this.flush();
    }, this.#o.flushMs);
    this.#timer.unref();
    void this.flush();
  }

  /** Writes pending records to the spool and sends what the backoff allows. One run at a time. */
  flush(): Promise<void> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Sends now, ignoring the backoff: the control plane is known to be back (a config push just arrived from it). */
  retryNow(): void {
    if (!this.#failures) return;
    this.#retryAt = 0;
    void this.flush();
  }

  /**
   * Stops the timers, then sends until the spool is empty, a send fails, or the deadline passes; whatever is
   * left is on disk and replayed at the next start.
   */
  async stop(deadlineMs: number): Promise<{ sent: boolean; left: number }> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const deadline = Date.now() + deadlineMs;
    this.#retryAt = 0;
    const { spool } = this.#o;
    const failuresBefore = this.#failures;
    while (Date.now() < deadline) {
      const before = spool.openCount + spool.pendingCount;
      await this.flush();
      const after = spool.openCount + spool.pendingCount;
      // Stop on success, on a failed send, or when a round made no progress (e.g. disk errors).
      if (after === 0 || this.#failures > failuresBefore || after >= before) break;
    }
    await spool.close().catch((err: unknown) => this.#o.logger.error({ err }, 'usage spool write failed at stop'));
    const left = spool.openCount + spool.pendingCount;
    return { sent: left === 0, left };
  }

  async #run(): Promise<void> {
    const { spool, send, batchSize, logger } = this.#o;
    // A failing disk is logged by the spool; what is already on disk can still be sent.
    await spool.flush().catch(() => {});
    while (Date.now() >= this.#retryAt) {
      let batch: RecordLine[];
      try {
        batch = await spool.read(this.#limit);
      } catch (err) {
        logger.error({ err }, 'usage spool read failed; will retry');
        return;
      }
      if (!batch.length) return;
      let answer: IngestResult;
      try {
        answer = await send(batch);
        if (this.#failures) logger.info({ after: this.#failures }, 'usage batches reach the control plane again');
        this.#failures = 0;
      } catch (err) {
        if (!this.#o.isPermanent?.(err)) {
          const delay = this.#retryLater();
          if (this.#failures === 1) {
            logger.warn({ err: (err as Error).message, retryInMs: delay }, 'usage batch failed; will retry');
          }
          return;
        }
        if (batch.length > 1) {
          // Isolate the fault: halves until the records at fault are alone, then back up to full batches.
          logger.warn(
            { err: (err as Error).message, records: batch.length },
            'control plane refused a whole usage batch; resending it in halves',
          );
          this.#limit = Math.ceil(batch.length / 2);
          continue;
        }
        answer = {
          accepted: 0,
          duplicates: 0,
          rejected: [{ index: 0, requestId: null, field: null, reason: (err as Error).message }],
        };
      }
      try {
        await this.#settle(batch, answer);
      } catch (err) {
        // The rejected records must be on disk before the batch leaves the spool: keep it, and try again later.
        const delay = this.#retryLater();
        logger.error({ err, retryInMs: delay }, 'could not write the usage dead-letter file; will retry');
        return;
      }
      await spool.ack(batch.length);
      this.#limit = Math.min(batchSize, this.#limit * 2);
      if (spool.pendingCount >= batchSize) await spool.flush().catch(() => {});
    }
  }

  /** Backs off after a failure and wakes up when the backoff ends, not at the next send tick; returns the delay. */
  #retryLater(): number {
    const delay = backoffDelay(this.#failures++, this.#backoff);
    this.#retryAt = Date.now() + delay;
    if (this.#timer) {
      // Only while started: a stopped batcher sends nothing on its own.
      if (this.#retryTimer) clearTimeout(this.#retryTimer);
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = null;
        void this.flush();
      }, delay);
      this.#retryTimer.unref();
    }
    return delay;
  }

  /**
   * Keeps the records the control plane rejected in the dead-letter file, then logs and counts them. Rejects when
   * the file cannot be written (nothing is counted then; the batch stays in the spool).
   */
  async #settle(batch: RecordLine[], answer: IngestResult): Promise<void> {
    const { logger, deadLetter } = this.#o;
    const { rejected } = answer;
    if (rejected.length) {
      const letters: DeadLetter[] = rejected.map((r) => ({
        // An index the batch does not have (a control plane bug) still leaves a trace of the requestId.
        line: batch[r.index] ?? JSON.stringify({ requestId: r.requestId }),
        reason: r.reason,
        field: r.field,
      }));
      await deadLetter.add(letters);
      this.#o.onRejected?.(rejected.length);
      for (const r of rejected.slice(0, logRejectedMax)) {
        logger.error(
          {
            requestId: r.requestId ?? requestIdOf(batch[r.index]),
            index: r.index,
            field: r.field,
            reason: r.reason,
            deadLetter: deadLetter.path,
          },
          'control plane rejected a usage record; it is kept in the dead-letter file',
        );
      }
      if (rejected.length > logRejectedMax) {
        logger.error(
          { more: rejected.length - logRejectedMax, rejected: rejected.length, records: batch.length },
          'control plane rejected more usage records of the same batch',
        );
      }
    }
    if (answer.accepted + answer.duplicates + rejected.length !== batch.length) {
      logger.warn(
        { records: batch.length, accepted: answer.accepted, duplicates: answer.duplicates, rejected: rejected.length },
        'usage answer does not account for every record of the batch',
      );
    }
  }
}
