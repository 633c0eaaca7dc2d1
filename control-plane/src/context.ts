// Per-request context: who is calling (from the bearer token) and an entity manager forked for this request only.
import { type Caller, resolveCaller } from './access/caller.ts';
import type { LiveCredentials } from './access/live-credentials.ts';
import type { Config } from './config.ts';
import type { SecretBox } from './crypto/secret-box.ts';
import type { DatabaseStatus } from './db/database-status.ts';
import type { Em, Orm } from './db/orm.ts';
import { serviceUnavailable } from './errors.ts';
import type { Logger } from './logger.ts';
import type { AlertFeed } from './modules/alerts/alert-feed.ts';
import { createLoaders, type Loaders } from './modules/index.ts';
import type { UsageFeed } from './modules/usage/usage-feed.ts';
import type { Publisher } from './sync/publisher.ts';

/** Long-lived collaborators shared by every request. */
export interface Deps {
  config: Config;
  logger: Logger;
  orm: Orm;
  /** Readiness, and the one place a database outage is logged. */
  database: DatabaseStatus;
  secretBox: SecretBox;
  publisher: Publisher;
  /** Live usage (usageUpdates) fanned out from gw_usage notifications. */
  usageFeed: UsageFeed;
  /** Raised budget alerts (budgetAlertRaised) fanned out from gw_budget_alert notifications. */
  alertFeed: AlertFeed;
  /** The sessions and API tokens behind open WebSockets, closed when they stop standing (gw_auth notifications). */
  liveCredentials: LiveCredentials;
}

export interface Context {
  caller: Caller;
  /** The client's address (for login throttling), over HTTP and WebSocket alike; null when unknown. */
  remote: string | null;
  em: Em;
  loaders: Loaders;
  deps: Deps;
}

export type { Caller };

export async function createContext(
  authorization: string | undefined | null,
  deps: Deps,
  remote: string | null = null,
): Promise<Context> {
  const em = deps.orm.em.fork();
  return { caller: await callerOf(authorization, deps, em), remote, em, loaders: createLoaders(em), deps };
}

/** Sessions and API tokens are looked up in the database: without it, the request fails as SERVICE_UNAVAILABLE. */
export async function callerOf(authorization: string | undefined | null, deps: Deps, em: Em): Promise<Caller> {
  try {
    return await resolveCaller(authorization, deps, em);
  } catch (err) {
    if (deps.database.failed(err)) throw serviceUnavailable();
    throw err;
  }
}
