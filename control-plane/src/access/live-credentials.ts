// Live graphql-ws connections held to the standing of the credential that opened them: a connection closes (4403,
// with the reason) once its session ends or expires, its API token is revoked or expires, or the admin behind either
// is disabled, deleted or given another role, whichever replica made the change (NOTIFY gw_auth).
import type { WebSocket } from 'ws';
import type { DatabaseStatus } from '../db/database-status.ts';
import { PgListener } from '../db/listen.ts';
import type { Em } from '../db/orm.ts';
import type { Logger } from '../logger.ts';
import type { Caller } from './caller.ts';

export const credentialChannel = 'gw_auth';

/** graphql-ws's Forbidden, as for a token refused at the handshake: the credential no longer opens this socket. */
export const credentialCloseCode = 4403;

/**
 * Call inside the transaction of a change that may end or narrow credentials (logout, admin disabled, deleted or
 * given another role, token revoked, org deleted): once it commits, every replica re-checks its live connections.
 */
export async function notifyCredentialChange(em: Em): Promise<void> {
  await em.execute('select pg_notify(?, ?)', [credentialChannel, '']);
}

type AdminCaller = Extract<Caller, { kind: 'admin' }>;

interface Live {
  socket: WebSocket;
  authorization: string | null;
  caller: AdminCaller;
  expiry: NodeJS.Timeout | null;
}

/** Longest delay setTimeout takes; a later expiry is re-armed when this one fires. */
const maxTimerMs = 2 ** 31 - 1;

/** Why a connection closes: the words a client shows (at most 123 bytes, WebSocket's limit). */
function reasonFor(was: AdminCaller, now: Caller): string {
  if (now.kind === 'admin') return 'Access changed; reconnect';
  const expired = was.expiresAt !== null && was.expiresAt.getTime() <= Date.now();
  if (was.principal.kind === 'admin_user') return expired ? 'Session expired' : 'Session ended';
  return expired ? 'API token expired' : 'API token revoked, or its admin disabled or deleted';
}

const sameStanding = (a: AdminCaller, b: Caller) => b.kind === 'admin' && a.role === b.role && a.orgId === b.orgId;

export interface LiveCredentialsOptions {
  databaseUrl: string;
  logger: Logger;
  /** Told of the notification connection's failures, logged once per database outage. */
  database: DatabaseStatus;
  /** Resolves a bearer authorization afresh (a new entity manager each time). */
  resolve(authorization: string | null): Promise<Caller>;
}

export class LiveCredentials {
  readonly #live = new Set<Live>();
  readonly #resolve: LiveCredentialsOptions['resolve'];
  readonly #listener: PgListener;
  readonly #log: Logger;
  /** Bumped by every notification: a connection admitted across one is checked again at once. */
  #generation = 0;
  #running = false;
  #again = false;
  /** The latest pass, for stop() to wait on. */
  #checking: Promise<void> = Promise.resolve();

  constructor(opts: LiveCredentialsOptions) {
    this.#resolve = opts.resolve;
    this.#log = opts.logger.child({ component: 'live-credentials' });
    this.#listener = new PgListener({
      databaseUrl: opts.databaseUrl,
      database: opts.database,
      channel: credentialChannel,
      logger: this.#log,
      onNotify: () => this.#changed(),
      // A change notified while the connection was down is lost: check everything.
      onRestore: () => this.#changed(),
    });
  }

  start(): Promise<void> {
    return this.#listener.start();
  }

  async stop(): Promise<void> {
    await this.#listener.stop();
    for (const live of this.#live) if (live.expiry) clearTimeout(live.expiry);
    this.#live.clear();
    await this.#checking;
  }

  /** Connections being watched (sessions and API tokens; ADMIN_TOKEN and the data-plane token are configuration). */
  get size(): number {
    return this.#live.size;
  }

  /** The caller of a new connection; a session or API token is watched for as long as the socket is open. */
  async admit(socket: WebSocket, authorization: string | null): Promise<Caller> {
    const generation = this.#generation;
    const caller = await this.#resolve(authorization);
    if (caller.kind !== 'admin' || caller.principal.kind === 'static_token' || socket.readyState !== socket.OPEN) {
      return caller;
    }
    const live: Live = { socket, authorization, caller, expiry: null };
    this.#live.add(live);
    socket.once('close', () => this.#forget(live));
    this.#arm(live);
    // A change committed while the caller was being resolved may have been notified before it was watched.
    if (generation !== this.#generation) this.#changed();
    return caller;
  }

  #forget(live: Live): void {
    if (live.expiry) clearTimeout(live.expiry);
    this.#live.delete(live);
  }

  #arm(live: Live): void {
    if (live.expiry) clearTimeout(live.expiry);
    live.expiry = null;
    if (!live.caller.expiresAt) return;
    const remaining = live.caller.expiresAt.getTime() - Date.now();
    // Past its expiry yet still accepted (the database's clock is behind ours): look again in a second, not at once.
    const delay = remaining > 0 ? Math.min(remaining, maxTimerMs) : 1_000;
    live.expiry = setTimeout(() => void this.#checkOne(live), delay);
    live.expiry.unref();
  }

  /** One pass over every connection at a time; changes notified during a pass make one more pass. */
  #changed(): void {
    this.#generation++;
    this.#again = true;
    if (this.#running) return;
    this.#running = true;
    this.#checking = this.#checkAll();
  }

  async #checkAll(): Promise<void> {
    try {
      while (this.#again) {
        this.#again = false;
        for (const live of [...this.#live]) await this.#checkOne(live);
      }
    } finally {
      this.#running = false;
    }
  }

  async #checkOne(live: Live): Promise<void> {
    if (!this.#live.has(live)) return;
    let now: Caller;
    try {
      now = await this.#resolve(live.authorization);
    } catch (err) {
      // The database is unreachable: keep the connection; the restored LISTEN connection checks again.
      this.#log.warn({ err: (err as Error).message }, 'could not re-check a live connection');
      return;
    }
    if (!this.#live.has(live)) return;
    if (sameStanding(live.caller, now)) {
      live.caller = now as AdminCaller;
      this.#arm(live);
      return;
    }
    const reason = reasonFor(live.caller, now);
    this.#log.info({ principal: live.caller.principal.label, reason }, 'closing a live connection');
    this.#forget(live);
    live.socket.close(credentialCloseCode, reason);
  }
}
