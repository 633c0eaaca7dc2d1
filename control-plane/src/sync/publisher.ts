// Keeps this replica's snapshot in step with PostgreSQL (LISTEN gw_config): on a change it reads only what the
// change touched (config_changes), updates its snapshot and hash in place and pushes one delta to its subscribers.
import { diffSnapshots, fullMessages, type Snapshot, snapshotProblems, snapshotSchema } from '@gw/schema';
import type { SecretBox } from '../crypto/secret-box.ts';
import { configChannel } from '../db/config-change.ts';
import type { DatabaseStatus } from '../db/database-status.ts';
import { PgListener } from '../db/listen.ts';
import type { Em } from '../db/orm.ts';
import type { Logger } from '../logger.ts';
import { applyChanges, runWith } from './apply-changes.ts';
import { DeltaRing } from './delta-ring.ts';
import { Frame } from './frames.ts';
import type { OpenSecret } from './resource-builders.ts';
import { changedSince, configPosition, loadRows, readConsistently } from './snapshot-queries.ts';
import { type Delta, SnapshotState } from './snapshot-state.ts';
import { SubscriberQueue } from './subscriber-queue.ts';
import { SyncCounters } from './sync-counters.ts';

export interface Published {
  version: number;
  hash: string;
  /** The whole snapshot, assembled on demand (O(resources)): for tests and tools, not the sync path. */
  readonly snapshot: Snapshot;
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

/** Where a subscriber stands: what it applied, to resume from. */
export interface Resume {
  appliedVersion: number | null;
  appliedHash: string | null;
}

/** Past this many changed resources (and a quarter of the snapshot) a change is read as a full rebuild. */
const fullRebuildAbove = 10_000;

type Built =
  | { kind: 'delta'; version: number; delta: Delta; resources: number }
  | { kind: 'full'; version: number; state: SnapshotState }
  | null;

export class Publisher {
  readonly #opts: PublisherOptions;
  readonly #log: Logger;
  readonly #open: OpenSecret;
  readonly #subscribers = new Set<SubscriberQueue>();
  readonly #ring = new DeltaRing();
  readonly counters = new SyncCounters();
  #state: SnapshotState | null = null;
  #version = -1;
  #fullFrames: Frame[] | null = null;
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
    this.#open = (sealed) => opts.secretBox.open(sealed);
    this.#listener = new PgListener({
      databaseUrl: opts.databaseUrl,
      channel: configChannel,
      logger: this.#log,
      database: opts.database,
      onNotify: () => void this.refresh(),
      // Notifications sent while disconnected are lost: catch up (from the change log) once it is back.
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
    const state = this.#state;
    if (!state) return null;
    return {
      version: this.#version,
      hash: state.hash,
      get snapshot() {
        return state.snapshot();
      },
    };
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /**
   * Catches up with the database. Calls while a build runs are coalesced into one more build afterwards,
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

  /**
   * A subscription: first one delta from where the data plane stands when the ring covers it (and its hash there
   * matches), else a full snapshot in parts; then deltas (or a full when a delta cannot apply).
   */
  subscribe(nodeId: string, resume: Resume): SubscriberQueue {
    const queue = new SubscriberQueue(nodeId, (q) => {
      this.#subscribers.delete(q);
      this.#log.info({ nodeId, subscribers: this.#subscribers.size }, 'data plane unsubscribed');
    });
    this.#subscribers.add(queue);
    void this.#firstPublish.then(() => {
      // Only if nothing was queued meanwhile: a publish after subscribing already sent this node a full.
      if (!this.#state || queue.sentVersion !== null || queue.closed) return;
      const delta = this.#resumeDelta(resume);
      if (delta) {
        this.counters.sent('resume', 1);
        queue.pushDelta(delta, () => this.#fullOf());
      } else {
        this.counters.sent('full', 1);
        queue.pushFull(this.#fullOf());
      }
      this.#log.info(
        { nodeId, subscribers: this.#subscribers.size, first: delta ? 'delta' : 'full', ...resume },
        'data plane subscribed',
      );
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

  #resumeDelta({ appliedVersion, appliedHash }: Resume): Frame | null {
    const state = this.#state;
    if (!state || appliedVersion === null || !appliedHash) return null;
    const version = this.#version;
    if (appliedVersion === version) {
      if (appliedHash !== state.hash) return null;
      return new Frame({ type: 'delta', fromVersion: version, version, hash: state.hash, upsert: {}, remove: {} });
    }
    const delta = this.#ring.since(appliedVersion, appliedHash);
    if (!delta) return null;
    return new Frame({ type: 'delta', fromVersion: appliedVersion, version, hash: state.hash, ...delta });
  }

  /** The parts of a full snapshot of the current version, serialized once for every subscriber that needs it. */
  #fullOf(): Frame[] {
    const state = this.#state as SnapshotState;
    this.#fullFrames ??= fullMessages(this.#version, state.hash, state.snapshot()).map((m) => new Frame(m));
    return this.#fullFrames;
  }

  async #buildOnce(): Promise<void> {
    let built: Built;
    const started = performance.now();
    try {
      built = await readConsistently(this.#opts.em, (tx) => this.#read(tx));
    } catch (err) {
      if (this.#stopped) return;
      if (!this.#opts.database.failed(err)) this.#log.error({ err }, 'snapshot build failed');
      this.#scheduleRetry();
      return;
    }
    this.#retryDelayMs = 1_000;
    if (!built) return;
    const ms = Math.round(performance.now() - started);
    if (built.kind === 'full') this.#publishFull(built.version, built.state, ms);
    else this.#publishDelta(built.version, built.delta, built.resources, ms);
  }

  /** Reads the change since this replica's version (or everything, when the log no longer covers it). */
  async #read(tx: Em): Promise<Built> {
    const position = await configPosition(tx);
    const state = this.#state;
    if (state && position.version === this.#version) return null;
    const pending =
      state && position.version > this.#version && this.#version >= position.logFrom
        ? await changedSince(tx, this.#version, position.version)
        : null;
    // A change touching a large part of the snapshot is cheaper to read in full than by id.
    let touched = 0;
    for (const ids of pending?.values() ?? []) touched += ids.size;
    if (!state || !pending || touched > Math.max(fullRebuildAbove, state.size / 4)) {
      const fresh = new SnapshotState();
      await runWith(applyChanges(fresh, 'all', this.#open), (load) => loadRows(tx, load));
      const snapshot = fresh.snapshot();
      const shape = snapshotSchema.safeParse(snapshot);
      const problems = shape.success
        ? snapshotProblems(snapshot)
        : shape.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      // Never publish a broken snapshot: data planes keep the last good one until the data is fixed.
      if (this.#refused(position.version, problems)) return null;
      return { kind: 'full', version: position.version, state: fresh };
    }
    const { change, provisional } = await runWith(applyChanges(state, pending, this.#open), (load) =>
      loadRows(tx, load),
    );
    const problems = state.problems(change);
    if (this.#refused(position.version, problems)) {
      state.rollback(change, provisional);
      return null;
    }
    return { kind: 'delta', version: position.version, delta: state.delta(change), resources: change.size };
  }

  #refused(version: number, problems: string[]): boolean {
    if (!problems.length) return false;
    this.#log.error({ version, problems: problems.slice(0, 20) }, 'snapshot failed validation');
    return true;
  }

  #publishDelta(version: number, delta: Delta, resources: number, ms: number): void {
    const state = this.#state as SnapshotState;
    const fromVersion = this.#version;
    const fromHash = this.#ringFromHash;
    this.#version = version;
    this.#fullFrames = null;
    const frame = new Frame({ type: 'delta', fromVersion, version, hash: state.hash, ...delta });
    this.#ring.push(fromVersion, fromHash, version, delta, frame.json.length);
    this.#ringFromHash = state.hash;
    this.#fanOut(fromVersion, frame, { resources, ms });
  }

  /** The hash the ring's next entry starts from (the hash published with the current version). */
  #ringFromHash = '';

  #publishFull(version: number, fresh: SnapshotState, ms: number): void {
    const prev = this.#state;
    const prevVersion = this.#version;
    this.#state = fresh;
    this.#version = version;
    this.#fullFrames = null;
    this.#ringFromHash = fresh.hash;
    this.#resolveFirst();
    // A lower version means the database was restored: every subscriber starts over with a full.
    if (prev && version > prevVersion) {
      const delta = diffSnapshots(prev.snapshot(), fresh.snapshot());
      const frame = new Frame({ type: 'delta', fromVersion: prevVersion, version, hash: fresh.hash, ...delta });
      this.#ring.push(prevVersion, prev.hash, version, delta, frame.json.length);
      this.#fanOut(prevVersion, frame, { rebuilt: true, ms });
      return;
    }
    this.#ring.clear();
    if (prev) this.#fanOut(null, null, { rebuilt: true, ms });
    else this.#log.info({ version, hash: fresh.hash, resources: fresh.size, ms }, 'snapshot built');
  }

  /** Sends `frame` (a delta from `fromVersion`) to subscribers at that version, a full to the others. */
  #fanOut(fromVersion: number | null, frame: Frame | null, info: Record<string, unknown>): void {
    let deltas = 0;
    let fulls = 0;
    for (const q of this.#subscribers) {
      if (q.sentVersion === null) continue; // its first message is still to come (subscribe)
      if (frame && q.sentVersion === fromVersion) {
        q.pushDelta(frame, () => this.#fullOf());
        deltas++;
      } else {
        q.pushFull(this.#fullOf());
        fulls++;
      }
    }
    this.counters.sent('delta', deltas);
    this.counters.sent('full', fulls);
    const hash = (this.#state as SnapshotState).hash;
    this.#log.info({ version: this.#version, hash, deltas, fulls, ...info }, 'published snapshot');
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
      if (this.#state && Number(rows[0].version) !== this.#version) await this.refresh();
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
