// One dedicated LISTEN connection to PostgreSQL that survives database restarts: reconnects with backoff and
// tells its owner when it is back, since notifications sent while it was down are lost.
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import { dedicatedClient } from './connection.ts';
import type { DatabaseStatus } from './database-status.ts';

export interface ListenerOptions {
  databaseUrl: string;
  channel: string;
  logger: Logger;
  /** Told of connection failures, which it logs once per outage; only other failures are logged here. */
  database: DatabaseStatus;
  onNotify(payload: string): void;
  /** After a reconnect: whatever was notified meanwhile is gone, catch up if that matters. */
  onRestore?(): void;
}

export class PgListener {
  readonly #opts: ListenerOptions;
  #client: pg.Client | null = null;
  #reconnectDelayMs = 250;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(opts: ListenerOptions) {
    this.#opts = opts;
  }

  /** Resolves once LISTEN is in place; the first connection failing is the caller's error. */
  async start(): Promise<void> {
    await this.#listen();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const client = this.#client;
    this.#client = null;
    client?.removeAllListeners('end');
    await client?.end().catch(() => {});
  }

  async #listen(): Promise<void> {
    const { channel, logger } = this.#opts;
    const client = dedicatedClient(this.#opts.databaseUrl);
    client.on('notification', (n) => {
      if (n.channel === channel) this.#opts.onNotify(n.payload ?? '');
    });
    client.on('error', (err) => {
      if (!this.#opts.database.failed(err)) logger.warn({ err: err.message, channel }, 'LISTEN connection failed');
      this.#reconnect(client);
    });
    client.on('end', () => this.#reconnect(client));
    try {
      await client.connect();
      // The channel is a constant of the code, never input: identifiers cannot be bound as parameters.
      await client.query(`listen ${channel}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw err;
    }
    if (this.#stopped) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#reconnectDelayMs = 250;
  }

  #reconnect(dead: pg.Client): void {
    if (this.#stopped || this.#client !== dead) return;
    this.#client = null;
    dead.removeAllListeners('end');
    void dead.end().catch(() => {});
    this.#schedule();
  }

  #schedule(): void {
    const delay = this.#reconnectDelayMs;
    this.#reconnectDelayMs = Math.min(this.#reconnectDelayMs * 2, 10_000);
    this.#timer = setTimeout(async () => {
      this.#timer = null;
      if (this.#stopped) return;
      const { channel, database, logger } = this.#opts;
      try {
        await this.#listen();
        logger[database.available ? 'info' : 'debug']({ channel }, 'LISTEN connection restored');
        this.#opts.onRestore?.();
      } catch (err) {
        const retryInMs = this.#reconnectDelayMs;
        if (database.failed(err))
          logger.debug({ err: (err as Error).message, channel, retryInMs }, 'LISTEN reconnect failed');
        else logger.warn({ err: (err as Error).message, channel, retryInMs }, 'LISTEN reconnect failed');
        this.#schedule();
      }
    }, delay);
    this.#timer.unref();
  }
}
