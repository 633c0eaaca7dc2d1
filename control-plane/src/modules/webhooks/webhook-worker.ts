// The delivery worker, one per control-plane replica: claims due rows of the webhook_deliveries outbox (FOR UPDATE
// SKIP LOCKED, so replicas never take the same row), posts each signed payload, and records the outcome: 2xx is
// delivered, anything else is retried with growing delays until the last attempt fails. It sleeps until the next
// row falls due (at most idleMs), and is woken early when an alert is raised anywhere (app.ts wires that).
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { DatabaseStatus } from '../../db/database-status.ts';
import type { Orm } from '../../db/orm.ts';
import type { Logger } from '../../logger.ts';
import { postWebhook } from './webhook-post.ts';
import { signedHeaders } from './webhook-signature.ts';

export interface WebhookWorkerOptions {
  orm: Orm;
  secretBox: SecretBox;
  logger: Logger;
  database: DatabaseStatus;
  timeoutMs: number;
  /** The first retry delay; later ones are `retryMultipliers` times it. */
  retryBaseMs: number;
  maxAttempts: number;
  allowInternal: boolean;
  /** Rows claimed per round (posted in parallel). */
  batchSize?: number;
  /** Longest sleep between two looks at the outbox. */
  idleMs?: number;
}

/** Delay after the nth failed attempt, in units of retryBaseMs: 10 s, 30 s, 2 min, 10 min, 1 h by default. */
export const retryMultipliers = [1, 3, 12, 60, 360] as const;

export function retryDelayMs(baseMs: number, failedAttempt: number): number {
  return baseMs * retryMultipliers[Math.min(failedAttempt, retryMultipliers.length) - 1];
}

interface Claimed {
  id: string;
  endpoint_id: string;
  attempt: number;
  body: string;
  url: string;
  enabled: boolean;
  secret_ciphertext: Buffer;
  secret_iv: Buffer;
  secret_tag: Buffer;
}

/**
 * Claims up to ? due rows: each gets its attempt counted and its next_attempt_at moved past the attempt's time limit
 * (a lease), so a replica dying mid-attempt leaves the row to be retried once the lease has passed.
 */
const claimSql = `with due as (
    select id from webhook_deliveries
     where status = 'pending' and next_attempt_at <= now()
     order by next_attempt_at limit ? for update skip locked
  )
  update webhook_deliveries d
     set attempt = d.attempt + 1, last_attempt_at = now(), next_attempt_at = now() + make_interval(secs => ?)
    from due, webhook_endpoints e
   where d.id = due.id and e.id = d.endpoint_id
  returning d.id, d.endpoint_id, d.attempt, d.payload::text as body, e.url, e.enabled,
            e.secret_ciphertext, e.secret_iv, e.secret_tag`;

/** Records an attempt's outcome, unless the row moved on meanwhile (disabled, or claimed again after its lease). */
const recordSql = `update webhook_deliveries
     set status = ?, last_status = ?, last_error = ?, next_attempt_at = coalesce(?::timestamptz, next_attempt_at),
         delivered_at = case when ? = 'delivered' then now() end
   where id = ? and attempt = ? and status = 'pending'`;

export class WebhookWorker {
  readonly #opts: WebhookWorkerOptions;
  readonly #log: Logger;
  readonly #batchSize: number;
  readonly #idleMs: number;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(opts: WebhookWorkerOptions) {
    this.#opts = opts;
    this.#log = opts.logger.child({ component: 'webhook-worker' });
    this.#batchSize = opts.batchSize ?? 10;
    this.#idleMs = opts.idleMs ?? 30_000;
  }

  start(): void {
    this.wake();
  }

  /** Looks at the outbox now (new deliveries may have been written). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#schedule(0);
  }

  /** Aborts attempts in flight (their rows are released for another try) and waits for the round to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort.abort();
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#round().finally(() => {
        this.#running = null;
      });
    }, ms);
    this.#timer.unref();
  }

  async #round(): Promise<void> {
    let next = this.#idleMs;
    try {
      let claimed: number;
      do {
        this.#again = false;
        claimed = await this.#deliverDue();
      } while (!this.#stopped && (claimed === this.#batchSize || this.#again));
      next = await this.#untilNextDue();
    } catch (err) {
      if (!this.#opts.database.failed(err)) this.#log.error({ err }, 'webhook delivery round failed');
      next = Math.min(this.#idleMs, 5_000);
    }
    this.#schedule(this.#again ? 0 : next);
  }

  async #untilNextDue(): Promise<number> {
    const [row] = await this.#opts.orm.em
      .fork()
      .execute<{ ms: number | null }[]>(
        "select (extract(epoch from min(next_attempt_at) - now()) * 1000)::float8 as ms from webhook_deliveries where status = 'pending'",
      );
    const ms = row?.ms ?? null;
    return ms === null ? this.#idleMs : Math.min(this.#idleMs, Math.max(0, Math.ceil(ms)));
  }

  /** One round: claims due rows and attempts each; returns how many it claimed. */
  async #deliverDue(): Promise<number> {
    const em = this.#opts.orm.em.fork();
    const leaseSeconds = (this.#opts.timeoutMs + 30_000) / 1000;
    const claimed = await em.execute<Claimed[]>(claimSql, [this.#batchSize, leaseSeconds]);
    await Promise.all(claimed.map((c) => this.#attempt(c)));
    return claimed.length;
  }

  async #attempt(c: Claimed): Promise<void> {
    const opts = this.#opts;
    const em = opts.orm.em.fork();
    const record = (status: string, lastStatus: number | null, error: string | null, next: Date | null) =>
      em.execute(recordSql, [status, lastStatus, error, next, status, c.id, c.attempt]);
    if (!c.enabled) return void (await record('failed', null, 'endpoint disabled', null));
    let secret: string;
    try {
      secret = opts.secretBox.open({
        ciphertext: Buffer.from(c.secret_ciphertext),
        iv: Buffer.from(c.secret_iv),
        tag: Buffer.from(c.secret_tag),
      });
    } catch {
      this.#log.error({ deliveryId: c.id, endpointId: c.endpoint_id }, 'webhook signing secret cannot be opened');
      return void (await record('failed', null, 'signing secret cannot be opened (was MASTER_KEY changed?)', null));
    }
    const outcome = await postWebhook(c.url, c.body, signedHeaders(secret, c.id, c.body), {
      timeoutMs: opts.timeoutMs,
      allowInternal: opts.allowInternal,
      signal: this.#abort.signal,
    });
    if (this.#abort.signal.aborted && outcome.status === null) {
      // Shutting down: this attempt does not count, and the row is due again at once (for another replica).
      await em.execute(
        "update webhook_deliveries set attempt = attempt - 1, next_attempt_at = now() where id = ? and attempt = ? and status = 'pending'",
        [c.id, c.attempt],
      );
      return;
    }
    const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const error = ok ? null : (outcome.error ?? `HTTP ${outcome.status}`);
    const log = { deliveryId: c.id, endpointId: c.endpoint_id, attempt: c.attempt, status: outcome.status, error };
    if (ok) {
      this.#log.debug(log, 'webhook delivered');
      await record('delivered', outcome.status, null, null);
    } else if (c.attempt >= opts.maxAttempts) {
      this.#log.warn(log, 'webhook delivery failed for good');
      await record('failed', outcome.status, error, null);
    } else {
      const next = new Date(Date.now() + retryDelayMs(opts.retryBaseMs, c.attempt));
      this.#log.info({ ...log, retryAt: next.toISOString() }, 'webhook delivery failed; will retry');
      await record('pending', outcome.status, error, next);
    }
  }
}
