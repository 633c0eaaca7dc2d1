// Usage data lifecycle, run by every control-plane replica at start and hourly: monthly partitions of usage_records
// created ahead, and (when configured) retention that drops whole months of records and older rollup rows.
import type { DatabaseStatus } from '../../db/database-status.ts';
import type { Em, Orm } from '../../db/orm.ts';
import type { Logger } from '../../logger.ts';

/** The advisory lock of this maintenance (Migration20261215000000_usage_partitions uses the same number). */
export const usageLifecycleLockKey = 4_157_313;

/** Months with a partition ready besides the current one, so a failing maintenance has two months to recover. */
export const monthsAhead = 2;

/** Maintenance runs this often; after a failure (database down, a lock not granted in time), sooner. */
const intervalMs = 3_600_000;
const retryMs = 300_000;

/**
 * How long a step waits for a table lock. Dropping or creating a partition needs an exclusive lock on usage_records;
 * while it waits, every ingest queues behind it, so a long-running query must make maintenance give up instead.
 */
const lockTimeout = '5s';

export interface LifecycleOptions {
  orm: Orm;
  logger: Logger;
  database?: DatabaseStatus;
  /** Whole UTC months of raw records kept before the current month; null = forever. */
  recordsRetentionMonths: number | null;
  /** The same for the rollups; null = forever. */
  rollupsRetentionMonths: number | null;
}

/** What one run did; a step another replica was doing at that moment is left to it (`skipped`). */
export interface LifecycleRun {
  created: string[];
  dropped: string[];
  /** Records with ts before it are gone (and refused at ingestion); null = no retention yet. */
  recordsHorizon: Date | null;
  forgottenIds: number;
  /** Records left in the default partition after partitions were made (dated beyond the months created ahead). */
  defaultRows: number;
  rollupRowsDeleted: number;
  skipped: string[];
}

/** The first instant of the UTC month `offset` months from the one holding `at`. */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The month a partition of usage_records holds, from the name usage_records_ensure_partition gives it. */
const partitionName = /^usage_records_y(\d{4})m(\d{2})$/;

export class UsageLifecycle {
  readonly #o: LifecycleOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;
  #stopped = false;

  constructor(options: LifecycleOptions) {
    this.#o = options;
  }

  /** Runs once (a failure is logged, not thrown: the default partition catches records meanwhile), then hourly. */
  async start(): Promise<void> {
    await this.#tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
  }

  async #tick(): Promise<void> {
    let next = intervalMs;
    this.#running = this.run();
    try {
      await this.#running;
    } catch (err) {
      next = retryMs;
      if (!this.#o.database?.failed(err)) {
        this.#o.logger.warn({ err, retryInMs: next }, 'usage maintenance failed; will retry');
      }
    } finally {
      this.#running = null;
    }
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), next);
    this.#timer.unref();
  }

  /** One maintenance pass at `now`; each step is a transaction of its own, done by one replica at a time. */
  async run(now = new Date()): Promise<LifecycleRun> {
    const { logger, recordsRetentionMonths: keep, rollupsRetentionMonths: keepRollups } = this.#o;
    const result: LifecycleRun = {
      created: [],
      dropped: [],
      recordsHorizon: null,
      forgottenIds: 0,
      defaultRows: 0,
      rollupRowsDeleted: 0,
      skipped: [],
    };

    await this.#step('partitions', result, async (em) => {
      // This month and the next ones, and any earlier month whose records wait in the default partition (a data
      // plane delivering old usage): they move into a partition of their own, which retention can drop whole.
      const waiting = await em.execute<{ month: Date }[]>(
        `select distinct date_trunc('month', ts, 'UTC') as month from usage_records_default where ts < ?::timestamptz`,
        [monthStart(now).toISOString()],
      );
      const months = [
        ...waiting.map((w) => new Date(w.month)),
        ...range(monthsAhead + 1).map((k) => monthStart(now, k)),
      ];
      for (const month of months) {
        const [{ created }] = await em.execute<{ created: string | null }[]>(
          'select usage_records_ensure_partition(?::timestamptz) as created',
          [month.toISOString()],
        );
        if (created) result.created.push(created);
      }
      const [later] = await em.execute<{ n: number; first: Date | null; last: Date | null }[]>(
        'select count(*)::int as n, min(ts) as first, max(ts) as last from usage_records_default',
      );
      result.defaultRows = later.n;
      if (later.n) {
        // Months beyond those created ahead: a data plane's clock is likely wrong. They move when their month comes.
        logger.warn({ records: later.n, first: later.first, last: later.last }, 'usage records dated months ahead');
      }
    });
    if (result.created.length) logger.info({ partitions: result.created }, 'usage partitions created');

    // Forgets the request ids below the horizon an earlier run set, never the one this run may set: an ingest that
    // read the old horizon just before it moved is long finished by then (see docs/operations.md, "Data lifecycle").
    await this.#step('request ids', result, async (em) => {
      const [row] = await em.execute<{ records_horizon: Date | null; ids_horizon: Date | null }[]>(
        'select records_horizon, ids_horizon from usage_lifecycle for update',
      );
      const target = row.records_horizon;
      if (!target || (row.ids_horizon && row.ids_horizon >= target)) return;
      const deleted = await em.execute<{ n: number }[]>(
        'with gone as (delete from usage_request_ids where ts < ? returning 1) select count(*)::int as n from gone',
        [target],
      );
      await em.execute('update usage_lifecycle set ids_horizon = ?', [target]);
      result.forgottenIds = deleted[0].n;
      logger.info({ before: target, requestIds: result.forgottenIds }, 'usage request ids forgotten (retention)');
    });

    if (keep !== null) {
      await this.#step('records retention', result, async (em) => {
        // Only forward: a replica configured to keep longer cannot bring back what another one dropped.
        const [{ horizon }] = await em.execute<{ horizon: Date }[]>(
          `update usage_lifecycle set records_horizon = greatest(records_horizon, ?::timestamptz)
           returning records_horizon as horizon`,
          [monthStart(now, -keep).toISOString()],
        );
        result.recordsHorizon = new Date(horizon);
        const parts = await em.execute<{ name: string }[]>(
          `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
            where i.inhparent = 'usage_records'::regclass order by c.relname`,
        );
        for (const { name } of parts) {
          const m = partitionName.exec(name);
          if (!m) continue;
          // A partition holds one month: it goes once its month has ended by the horizon.
          if (Date.UTC(Number(m[1]), Number(m[2]), 1) > result.recordsHorizon.getTime()) continue;
          await em.execute(`drop table ${name}`);
          result.dropped.push(name);
        }
      });
      if (result.dropped.length) {
        logger.info(
          { partitions: result.dropped, before: result.recordsHorizon?.toISOString() },
          'usage records dropped (retention)',
        );
      }
    }

    if (keepRollups !== null) {
      await this.#step('rollups retention', result, async (em) => {
        const before = monthStart(now, -keepRollups);
        const [{ hourly, daily }] = await em.execute<{ hourly: number; daily: number }[]>(
          `with h as (delete from usage_hourly where hour < ?::timestamptz returning 1),
                d as (delete from usage_daily_org where day < ?::timestamptz returning 1)
           select (select count(*)::int from h) as hourly, (select count(*)::int from d) as daily`,
          [before.toISOString(), before.toISOString()],
        );
        result.rollupRowsDeleted = hourly + daily;
        if (result.rollupRowsDeleted) {
          logger.info({ before: before.toISOString(), hourly, daily }, 'usage rollups dropped (retention)');
        }
      });
    }
    return result;
  }

  /** Runs `fn` in a transaction holding the maintenance lock, or skips it while another session holds the lock. */
  async #step(name: string, result: LifecycleRun, fn: (em: Em) => Promise<void>): Promise<void> {
    await this.#o.orm.em.fork().transactional(async (em) => {
      const [{ locked }] = await em.execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(?) as locked', [
        usageLifecycleLockKey,
      ]);
      if (!locked) {
        result.skipped.push(name);
        return;
      }
      await em.execute(`set local lock_timeout = '${lockTimeout}'`);
      await fn(em);
    });
  }
}
