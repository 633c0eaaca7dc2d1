// The usage spool's bad news: records dropped (cap reached, disk failing) and failed writes, counted exactly
// and logged at error level at most every 10 s, so that a long outage cannot flood the log.
import type { Logger } from '../logger.ts';

export type DropReason = 'spool_full' | 'spool_unwritable';

const logEveryMs = 10_000;

export class SpoolAlarms {
  readonly #log: Logger | undefined;
  readonly #onDropped: ((count: number, reason: DropReason) => void) | undefined;
  readonly dropped: Record<DropReason, number> = { spool_full: 0, spool_unwritable: 0 };
  readonly #reported: Record<DropReason, number> = { spool_full: 0, spool_unwritable: 0 };
  #unlogged = 0;
  #dropLoggedAt = 0;
  #failingSince = 0;
  #failLoggedAt = 0;

  constructor(log: Logger | undefined, onDropped: ((count: number, reason: DropReason) => void) | undefined) {
    this.#log = log;
    this.#onDropped = onDropped;
  }

  /** Request path too: arithmetic only. */
  drop(count: number, reason: DropReason): void {
    this.dropped[reason] += count;
  }

  /** Hands drops since the last report to onDropped, and logs them (always when `force`, else rate-limited). */
  report(force: boolean, context: Record<string, unknown>): void {
    for (const reason of ['spool_full', 'spool_unwritable'] as const) {
      const n = this.dropped[reason] - this.#reported[reason];
      if (!n) continue;
      this.#reported[reason] = this.dropped[reason];
      this.#unlogged += n;
      this.#onDropped?.(n, reason);
    }
    if (!this.#unlogged || (!force && Date.now() - this.#dropLoggedAt < logEveryMs)) return;
    this.#log?.error(
      { dropped: this.#unlogged, total: { ...this.dropped }, ...context },
      'usage spool full or unwritable: usage records dropped',
    );
    this.#unlogged = 0;
    this.#dropLoggedAt = Date.now();
  }

  writeFailed(err: unknown, pending: number): void {
    const now = Date.now();
    this.#failingSince ||= now;
    if (now - this.#failLoggedAt < logEveryMs) return;
    this.#failLoggedAt = now;
    this.#log?.error({ err, pending }, 'usage spool write failed; records stay in memory');
  }

  writeWorked(): void {
    if (!this.#failingSince) return;
    this.#log?.info({ failingMs: Date.now() - this.#failingSince }, 'usage spool writes work again');
    this.#failingSince = 0;
    this.#failLoggedAt = 0;
  }
}
