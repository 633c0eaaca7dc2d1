// Live usage on this replica: LISTEN gw_usage (whichever replica ingested the batch) and fan out to subscribers.
import type { DatabaseStatus } from '../../db/database-status.ts';
import { PgListener } from '../../db/listen.ts';
import type { Logger } from '../../logger.ts';
import { type UpdateQueue, UsageFanout } from './usage-fanout.ts';
import { parseUsageNotification, usageChannel } from './usage-notify.ts';

export interface UsageFeedOptions {
  databaseUrl: string;
  database: DatabaseStatus;
  logger: Logger;
  /** Shortest time between two messages about the same org (default 1 s). */
  intervalMs?: number;
}

export class UsageFeed {
  readonly #fanout: UsageFanout;
  readonly #listener: PgListener;

  constructor(opts: UsageFeedOptions) {
    const log = opts.logger.child({ component: 'usage-feed' });
    this.#fanout = new UsageFanout({ intervalMs: opts.intervalMs });
    this.#listener = new PgListener({
      databaseUrl: opts.databaseUrl,
      channel: usageChannel,
      logger: log,
      database: opts.database,
      onNotify: (payload) => {
        const deltas = parseUsageNotification(payload);
        if (deltas) this.#fanout.add(deltas);
        else log.warn({ bytes: payload.length }, 'ignored a malformed gw_usage notification');
      },
      // Usage notified while the connection was down is not replayed: live views catch up on their next re-read.
    });
  }

  start(): Promise<void> {
    return this.#listener.start();
  }

  get subscriberCount(): number {
    return this.#fanout.subscriberCount;
  }

  /** Updates about one org, or (null) about every org. Scope is the caller's business (the resolver checks it). */
  subscribe(orgId: string | null): UpdateQueue {
    return this.#fanout.subscribe(orgId);
  }

  async stop(): Promise<void> {
    await this.#listener.stop();
    await this.#fanout.stop();
  }
}
