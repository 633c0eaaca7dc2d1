// Keeps this replica's current snapshot in step with PostgreSQL (LISTEN gw_config) and pushes changes to its subscribers.
import {
  diffSnapshots,
  type FullMessage,
  type Snapshot,
  type SyncMessage,
  snapshotHash,
  snapshotProblems,
  snapshotSchema,
} from '@gw/schema';
import type { SecretBox } from '../crypto/secret-box.ts';
import { configChannel } from '../db/config-change.ts';
import type { DatabaseStatus } from '../db/database-status.ts';
import { PgListener } from '../db/listen.ts';
import type { Em } from '../db/orm.ts';
import type { Logger } from '../logger.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { loadSnapshotRows } from './load-snapshot.ts';
import { SubscriberQueue } from './subscriber-queue.ts';

export interface Published {
  version: number;
  hash: string;
  snapshot: Snapshot;
}

export interface PublisherOptions {
  databaseUrl: string;
  /** Root entity manager; the publisher forks it for every load. */
  em: Em;
  /** Told of connection failures (it logs an outage once); only other failures are logged here. */
  database: DatabaseStatus;
  secretBox: SecretBox;
  logger: Logger;
  /** Safety net against a LISTEN connection that died silently; the version check is one tiny query. */
  pollIntervalMs?: number;
}

const fullOf = (p: Published): FullMessage => ({
  type: 'full',
  version: p.version,
  hash: p.hash,
  snapshot: p.snapshot,
});

export class Publisher {
  readonly #opts: PublisherOptions;
  readonly #log: Logger;
  readonly #subscribers = new Set<SubscriberQueue>();
  #current: Published | null = null;
  #firstPublish: Promise<void>;
  #resolveFirst!: () => void;
  #building: Promise<void> | null = null;
  #dirty = false;
  readonly #listener: PgListener;
  #retryDelayMs = 1_000;
  #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(opts: PublisherOptions) {
    this.#opts = opts;
    this.#log = opts.logger.child({ component: 'publisher' });
    this.#listener = new PgListener({
      databaseUrl: opts.databaseUrl,
      channel: configChannel,
      logger: this.#log,
      database: opts.database,
      onNotify: () => void this.refresh(),
      // Notifications sent while disconnected are lost: rebuild to catch up.
      onRestore: () => void this.refresh(),
    });
    this.#firstPublish = new Promise((resolve) => {
      this.#resolveFirst = resolve;
    });
  }

  /** Listens first, then builds: a change committed in between is either in the build or notified after it. */
  async start(): Promise<void> {
    await this.#listener.start();
    await this.refresh();
    const poll = setInterval(() => void this.#poll(), this.#opts.pollIntervalMs ?? 30_000);
    poll.unref();
    this.#timers.add(poll);
  }

  current(): Published | null {
    return this.#current;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /**
   * Rebuilds from the database. Calls while a build runs are coalesced into one more build afterwards,
   * so a burst of notifications costs at most two builds and the last one sees the newest version.
   */
  refresh(): Promise<void> {
    this.#dirty = true;
    this.#building ??= (async () => {
      try {
        while (this.#dirty && !this.#stopped) {
          this.#dirty = false;
          await this.#buildOnce();
        }
      } finally {
        this.#building = null;
      }
    })();
    return this.#building;
  }

  /** A subscription that yields a full snapshot first, then deltas (or a full when a delta cannot apply). */
  subscribe(nodeId: string): SubscriberQueue {
    const queue = new SubscriberQueue(nodeId, (q) => {
      this.#subscribers.delete(q);
      this.#log.info({ nodeId, subscribers: this.#subscribers.size }, 'data plane unsubscribed');
    });
    this.#subscribers.add(queue);
    this.#log.info({ nodeId, subscribers: this.#subscribers.size }, 'data plane subscribed');
    void this.#firstPublish.then(() => {
      // Only if nothing was queued meanwhile: a publish after subscribing already sent this node a full.
      if (this.#current && queue.sentVersion === null) queue.push(fullOf(this.#current), () => fullOf(this.#current!));
    });
    return queue;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    for (const q of [...this.#subscribers]) await q.return();
    await this.#listener.stop();
    await this.#building?.catch(() => {});
  }

  async #buildOnce(): Promise<void> {
    let next: Published;
    try {
      const rows = await loadSnapshotRows(this.#opts.em);
      const snapshot = buildSnapshot(rows, (sealed) => this.#opts.secretBox.open(sealed));
      const shape = snapshotSchema.safeParse(snapshot);
      const problems = shape.success
        ? snapshotProblems(snapshot)
        : shape.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      if (problems.length) {
        // Never publish a broken snapshot: data planes keep the last good one until the data is fixed.
        this.#log.error({ version: rows.version, problems: problems.slice(0, 20) }, 'snapshot failed validation');
        return;
      }
      next = { version: rows.version, hash: snapshotHash(snapshot), snapshot };
    } catch (err) {
      if (this.#stopped) return;
      if (!this.#opts.database.failed(err)) this.#log.error({ err }, 'snapshot build failed');
      this.#scheduleRetry();
      return;
    }
    this.#retryDelayMs = 1_000;
    this.#publish(next);
  }

  #publish(next: Published): void {
    const prev = this.#current;
    if (prev && prev.version === next.version && prev.hash === next.hash) return;
    this.#current = next;
    this.#resolveFirst();
    // A lower version means the database was restored: every subscriber starts over with a full.
    const delta = prev && next.version > prev.version ? diffSnapshots(prev.snapshot, next.snapshot) : null;
    let deltas = 0;
    let fulls = 0;
    for (const q of this.#subscribers) {
      let message: SyncMessage;
      if (delta && prev && q.sentVersion === prev.version) {
        message = { type: 'delta', fromVersion: prev.version, version: next.version, hash: next.hash, ...delta };
        deltas++;
      } else {
        message = fullOf(next);
        fulls++;
      }
      q.push(message, () => fullOf(this.#current!));
    }
    this.#log.info({ version: next.version, hash: next.hash, deltas, fulls }, 'published snapshot');
  }

  /** Backs off to 30 s: a failure that does not heal by itself (e.g. a corrupt secret) should not flood the log. */
  #scheduleRetry(): void {
    const delay = this.#retryDelayMs;
    this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, 30_000);
    this.#later(delay, () => this.refresh());
  }

  async #poll(): Promise<void> {
    try {
      const rows = await this.#opts.em
        .fork()
        .execute<{ version: string }[]>('select version from config_state where id = 1');
      if (this.#current && Number(rows[0].version) !== this.#current.version) await this.refresh();
    } catch (err) {
      if (!this.#opts.database.failed(err))
        this.#log.warn({ err: (err as Error).message }, 'config version poll failed');
    }
  }

  #later(ms: number, fn: () => unknown): void {
    if (this.#stopped) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      void fn();
    }, ms);
    t.unref();
    this.#timers.add(t);
  }
}
