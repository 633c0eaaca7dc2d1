// Sends spooled usage records to the control plane in order, in batches (by size or by timer), retrying
// with backoff; acknowledged records leave the spool.
import type { UsageRecord } from '@gw/schema';
import { type BackoffOptions, backoffDelay } from '../backoff.ts';
import type { Logger } from '../logger.ts';
import type { UsageSink } from '../routes/deps.ts';
import type { UsageSpool } from './spool.ts';

export type SendBatch = (records: UsageRecord[]) => Promise<void>;

export interface UsageBatcherOptions {
  spool: UsageSpool;
  send: SendBatch;
  batchSize: number;
  flushMs: number;
  logger: Logger;
  backoff?: BackoffOptions;
  /** True for an error that retrying the same batch can never fix (it is then dropped, loudly). */
  isPermanent?: (err: unknown) => boolean;
}

export class UsageBatcher implements UsageSink {
  readonly #o: UsageBatcherOptions;
  readonly #backoff: BackoffOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #failures = 0;
  #retryAt = 0;
  #kicked = false;

  constructor(options: UsageBatcherOptions) {
    this.#o = options;
    this.#backoff = options.backoff ?? { minMs: 1000, maxMs: 30_000 };
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

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.flush(), this.#o.flushMs);
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

  /** Stops the timer, then sends until the spool is empty, a send fails, or the deadline passes. */
  async stop(deadlineMs: number): Promise<{ sent: boolean; left: number }> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
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
    // Whatever is left is on disk (flush wrote it) and is replayed at the next start.
    await spool.flush().catch((err: unknown) => this.#o.logger.error({ err }, 'usage spool write failed'));
    const left = spool.openCount + spool.pendingCount;
    return { sent: left === 0, left };
  }

  async #run(): Promise<void> {
    const { spool, send, batchSize, logger } = this.#o;
    try {
      await spool.flush();
    } catch (err) {
      logger.error({ err }, 'usage spool write failed; records stay in memory');
      return;
    }
    while (Date.now() >= this.#retryAt) {
      const batch = spool.peek(batchSize);
      if (!batch.length) return;
      try {
        await send(batch);
        if (this.#failures) logger.info({ after: this.#failures }, 'usage batches reach the control plane again');
        this.#failures = 0;
      } catch (err) {
        if (this.#o.isPermanent?.(err)) {
          logger.error(
            { err: (err as Error).message, records: batch.length },
            'control plane refused a usage batch; dropped',
          );
        } else {
          const delay = backoffDelay(this.#failures++, this.#backoff);
          this.#retryAt = Date.now() + delay;
          if (this.#failures === 1) {
            logger.warn({ err: (err as Error).message, retryInMs: delay }, 'usage batch failed; will retry');
          }
          return;
        }
      }
      await spool.ack(batch.length);
      if (spool.openCount === 0 && spool.pendingCount < batchSize) return;
      await spool.flush();
    }
  }
}
