// Whether PostgreSQL answers this process: the readiness check, and an outage logged once when it starts (warn) and
// once when it ends (info), however many requests, listeners and timers fail in between.
import type { Logger } from '../logger.ts';

/** Socket errors of a connection that failed or broke. */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going away or not taking connections: class 08 (connection exception),
 * admin/crash shutdown, "starting up or shutting down", and too many connections.
 */
const serverStates = /^(08...|57P0[123]|53300)$/;

/** What pg (and its pool) say when a connection dies or cannot be made in time; they carry no code. */
const driverMessages =
  /^(Connection terminated|timeout expired$|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/** Thrown by the readiness probe when the database does not answer in time. */
export class DatabaseTimeoutError extends Error {
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
    this.name = 'DatabaseTimeoutError';
  }
}

/** The error and what it wraps (MikroORM's `cause`, GraphQL's `originalError`), outermost first. */
function* chain(err: unknown): Generator<Record<string, unknown>> {
  let e = err;
  for (let depth = 0; depth < 8 && typeof e === 'object' && e !== null; depth += 1) {
    const record = e as Record<string, unknown>;
    yield record;
    e = record.cause ?? record.originalError;
  }
}

/** True when `err` says the database could not be reached, not that a query or its data was wrong. */
export function isConnectionError(err: unknown): boolean {
  for (const e of chain(err)) {
    if (e instanceof DatabaseTimeoutError) return true;
    const code = typeof e.code === 'string' ? e.code : typeof e.sqlState === 'string' ? e.sqlState : '';
    if (socketCodes.has(code) || serverStates.test(code)) return true;
    if (typeof e.message === 'string' && driverMessages.test(e.message)) return true;
  }
  return false;
}

export interface DatabaseStatusOptions {
  /** One cheap round trip through the pool the application uses (`select 1`). */
  probe: () => Promise<unknown>;
  logger: Logger;
  /** How long a probe may take before the database counts as unavailable. */
  probeTimeoutMs?: number;
  /** How often an outage is probed for its end when nothing else reaches the database. */
  retryIntervalMs?: number;
}

interface Outage {
  since: number;
  /** Failed database calls seen during the outage, reported when it ends. */
  failures: number;
}

export class DatabaseStatus {
  readonly #opts: Required<DatabaseStatusOptions>;
  #outage: Outage | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(opts: DatabaseStatusOptions) {
    this.#opts = { probeTimeoutMs: 2_000, retryIntervalMs: 1_000, ...opts };
  }

  get available(): boolean {
    return this.#outage === null;
  }

  /**
   * Reports a failed database call. A connection-level failure is counted toward an outage (the first one of an
   * outage is logged, as a warning) and true is returned: the caller must not log it again. Anything else is not
   * about availability and false is returned.
   */
  failed(err: unknown): boolean {
    if (!isConnectionError(err)) return false;
    this.#down(err);
    return true;
  }

  /** Probes the database now (readiness): ends an outage when it answers, starts one when it does not. */
  async check(): Promise<boolean> {
    const ms = this.#opts.probeTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DatabaseTimeoutError(ms)), ms);
    });
    try {
      await Promise.race([this.#opts.probe(), timeout]);
    } catch (err) {
      // A probe that fails for another reason (permissions, say) still means this process cannot serve.
      this.#down(err);
      return false;
    } finally {
      clearTimeout(timer);
    }
    this.#recovered();
    return true;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #down(err: unknown): void {
    if (!this.#outage) {
      this.#outage = { since: Date.now(), failures: 0 };
      this.#opts.logger.warn({ reason: reasonOf(err) }, 'database unavailable');
      this.#scheduleRetry();
    }
    this.#outage.failures += 1;
  }

  #recovered(): void {
    const outage = this.#outage;
    if (!outage) return;
    this.#outage = null;
    this.#opts.logger.info(
      { downForMs: Date.now() - outage.since, failedCalls: outage.failures },
      'database available again',
    );
  }

  /** While an outage lasts, probe now and then: the end is noticed (and logged) even with no traffic. */
  #scheduleRetry(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(async () => {
      this.#timer = null;
      if (this.#stopped || !this.#outage) return;
      await this.check();
      if (this.#outage) this.#scheduleRetry();
    }, this.#opts.retryIntervalMs);
    this.#timer.unref();
  }
}

/** The outermost message that names the cause, without a stack. */
function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
