// Raised alerts on this replica: LISTEN gw_budget_alert (whichever replica raised them), read each notified batch once
// and push it to this replica's budgetAlertRaised subscribers of that org and to the platform-wide ones.
import type { DatabaseStatus } from '../../db/database-status.ts';
import { PgListener } from '../../db/listen.ts';
import type { Orm } from '../../db/orm.ts';
import { PushQueue } from '../../graphql/push-queue.ts';
import type { Logger } from '../../logger.ts';
import type { BudgetAlert } from './alert.type.ts';
import { alertChannel, parseAlertNotification, type RaisedAlert } from './alert-notify.ts';
import { AlertStore } from './alert-store.ts';
import { toBudgetAlert } from './alert-view.ts';

/** Unread alerts one subscriber may have waiting; past it the oldest go (the list query still has them). */
const maxBacklog = 256;

export class AlertQueue extends PushQueue<BudgetAlert> {
  /** The org this subscriber follows; null = every org. */
  readonly orgId: string | null;
  readonly #onClose: (q: AlertQueue) => void;

  constructor(orgId: string | null, onClose: (q: AlertQueue) => void) {
    super(maxBacklog);
    this.orgId = orgId;
    this.#onClose = onClose;
  }

  push(alert: BudgetAlert): void {
    this.enqueue(alert, (backlog, latest) => [...backlog.slice(1), latest]);
  }

  protected override onClosed(): void {
    this.#onClose(this);
  }
}

export interface AlertFeedOptions {
  databaseUrl: string;
  orm: Orm;
  database: DatabaseStatus;
  logger: Logger;
  /** Called for every notification of raised alerts (the webhook worker wakes on it). */
  onRaised?: (alerts: RaisedAlert[]) => void;
}

export class AlertFeed {
  readonly #opts: AlertFeedOptions;
  readonly #log: Logger;
  readonly #listener: PgListener;
  readonly #subscribers = new Set<AlertQueue>();

  constructor(opts: AlertFeedOptions) {
    this.#opts = opts;
    this.#log = opts.logger.child({ component: 'alert-feed' });
    this.#listener = new PgListener({
      databaseUrl: opts.databaseUrl,
      channel: alertChannel,
      logger: this.#log,
      database: opts.database,
      onNotify: (payload) => {
        const alerts = parseAlertNotification(payload);
        if (!alerts)
          return this.#log.warn({ bytes: payload.length }, 'ignored a malformed gw_budget_alert notification');
        opts.onRaised?.(alerts);
        void this.#fanOut(alerts);
      },
      // Alerts raised while the connection was down are not pushed again: they are in budgetAlerts.
    });
  }

  start(): Promise<void> {
    return this.#listener.start();
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Alerts of one org, or (null) of every org. Scope is the caller's business (the resolver checks it). */
  subscribe(orgId: string | null): AlertQueue {
    const queue = new AlertQueue(orgId, (q) => this.#subscribers.delete(q));
    this.#subscribers.add(queue);
    return queue;
  }

  async stop(): Promise<void> {
    await this.#listener.stop();
    for (const q of [...this.#subscribers]) await q.return();
  }

  async #fanOut(raised: RaisedAlert[]): Promise<void> {
    const wanted = raised.filter((a) => [...this.#subscribers].some((q) => q.orgId === null || q.orgId === a.orgId));
    if (!wanted.length) return;
    try {
      const rows = await new AlertStore(this.#opts.orm.em.fork()).byIds(wanted.map((a) => a.id));
      const alerts = rows.map(toBudgetAlert).sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime());
      for (const alert of alerts) {
        for (const q of this.#subscribers) if (q.orgId === null || q.orgId === alert.orgId) q.push(alert);
      }
    } catch (err) {
      if (!this.#opts.database.failed(err)) this.#log.error({ err }, 'could not read raised alerts');
    }
  }
}
