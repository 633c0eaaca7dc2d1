// Keeps the store in step with the control plane over graphql-ws (sync protocol 2): verifies every message,
// applies it in steps that yield to requests, persists after applying, keeps the last good config on bad input
// (and reports the rejection), resumes with its applied version and hash, and reconnects quickly.
import {
  closeCodes,
  type DeltaMessage,
  type LastRejected,
  protocolMismatchCode,
  syncProtocolVersion,
} from '@gw/schema';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Logger } from '../logger.ts';
import { SyncApplier } from './apply.ts';
import { runStepsAsync } from './builder.ts';
import type { SnapshotFile } from './persist.ts';
import { defaultReconnectTimings, type ReconnectTimings, reconnectDelay } from './reconnect.ts';
import type { SnapshotStore, StoreHolder } from './store.ts';

/** Messages read ahead of the one being applied (flow control, see #flowControl). */
const readAhead = 1;

const subscription =
  'subscription ($nodeId: String!, $appliedVersion: Int, $appliedHash: String, $protocol: Int) ' +
  '{ configSync(nodeId: $nodeId, appliedVersion: $appliedVersion, appliedHash: $appliedHash, protocol: $protocol) }';

export interface ConfigSyncOptions {
  /** ws[s]://host/graphql */
  url: string;
  token: string;
  nodeId: string;
  stores: StoreHolder;
  file: SnapshotFile | null;
  logger: Logger;
  /** Called after every applied message (after the swap, before the disk write finishes). */
  onApplied?: (store: SnapshotStore) => void;
  /** Called right after a message was rejected (lastRejected is set by then). */
  onRejected?: (rejection: LastRejected) => void;
  timings?: Partial<ReconnectTimings>;
}

function errorCodes(err: unknown): string[] {
  const list = Array.isArray(err) ? err : [err];
  return list
    .map((e) => (e as { extensions?: { code?: unknown } })?.extensions?.code)
    .filter((c) => typeof c === 'string');
}

export class ConfigSync {
  readonly #o: ConfigSyncOptions;
  readonly #t: ReconnectTimings;
  #client: Client | null = null;
  /** Bumped on every (re)connect so that late events from a disposed client are ignored. */
  #generation = 0;
  #attempt = 0;
  #outageSince: number | null = null;
  #timer: NodeJS.Timeout | null = null;
  #pongTimer: NodeJS.Timeout | null = null;
  #stopped = true;
  #connected = false;
  /** Only the first failure of a streak is logged at warn; the retries go to debug. */
  #failing = false;
  /** A protocol refusal is logged once (error), until a subscription works again. */
  #refusalLogged = false;
  #lastRejected: LastRejected | null = null;
  /** After a rejection: resubscribe without appliedHash, which makes the control plane send a full snapshot. */
  #forceFull = false;
  /** Messages are applied one at a time, in order; a full snapshot's steps yield between them. */
  #queue: Promise<void> = Promise.resolve();
  /** Messages received and not yet handled (the one being applied included), and the most there were at once. */
  #pending = 0;
  #pendingPeak = 0;
  /** The current connection's socket: reading from it pauses while messages wait (flow control). */
  #socket: WebSocket | null = null;

  constructor(options: ConfigSyncOptions) {
    this.#o = options;
    this.#t = { ...defaultReconnectTimings, ...options.timings };
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** The last message this node refused, until a later one applies (NACK, sent in node status reports). */
  get lastRejected(): LastRejected | null {
    return this.#lastRejected;
  }

  /** The most messages this client held at once, received and not yet applied (flow control keeps it small). */
  get queuePeak(): number {
    return this.#pendingPeak;
  }

  /** Resolves once every message received so far has been handled (tests). */
  idle(): Promise<void> {
    return this.#queue;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#dispose();
    // Let the message being applied see it is no longer wanted, and what was applied reach the disk.
    await this.#queue;
    await this.#o.file?.idle();
  }

  async #dispose(): Promise<void> {
    this.#generation++;
    this.#connected = false;
    this.#socket = null;
    if (this.#pongTimer) clearTimeout(this.#pongTimer);
    this.#pongTimer = null;
    const client = this.#client;
    this.#client = null;
    if (client) await Promise.resolve(client.dispose()).catch(() => {});
  }

  #connect(): void {
    if (this.#stopped) return;
    const generation = ++this.#generation;
    const { logger, stores } = this.#o;
    const current = (cb: () => void) => () => {
      if (generation === this.#generation) cb();
    };
    const client: Client = createClient({
      url: this.#o.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.#o.token}` },
      lazy: true,
      // Reconnection is ours (fresh appliedVersion, our own delays, resubscribe on bad messages).
      retryAttempts: 0,
      keepAlive: this.#t.keepAliveMs,
      on: {
        connected: (socket, payload) => {
          if (generation !== this.#generation) return;
          this.#socket = socket as WebSocket;
          this.#flowControl();
          const protocol = (payload as { protocol?: unknown } | undefined)?.protocol;
          if (protocol !== syncProtocolVersion) {
            this.#refused(
              `the control plane does not speak sync protocol ${syncProtocolVersion} (it states ${JSON.stringify(protocol ?? null)}); upgrade the control plane`,
            );
            return;
          }
          this.#connected = true;
          this.#failing = false;
          logger.info({ url: this.#o.url }, 'connected to the control plane');
        },
        ping: (received) => {
          if (received || generation !== this.#generation) return;
          if (this.#pongTimer) clearTimeout(this.#pongTimer);
          this.#pongTimer = setTimeout(
            current(() => {
              // Not reading (flow control) leaves a pong unread in the socket: wait for it a while longer.
              if (this.#socket?.isPaused) {
                this.#pongTimer?.refresh();
                return;
              }
              logger.warn(
                { timeoutMs: this.#t.pongTimeoutMs },
                'the control plane did not answer a ping; reconnecting',
              );
              client.terminate();
            }),
            this.#t.pongTimeoutMs,
          );
          this.#pongTimer.unref();
        },
        pong: (received) => {
          if (received && generation === this.#generation && this.#pongTimer) clearTimeout(this.#pongTimer);
        },
        closed: (event) => {
          if (generation !== this.#generation) return;
          this.#connected = false;
          if ((event as { code?: number } | undefined)?.code === closeCodes.forbidden) {
            // An operator may be rotating the token: keep serving and keep trying.
            logger.error('the control plane rejected the data-plane token (4403); retrying with backoff');
          }
        },
      },
    });
    this.#client = client;
    this.#o.logger.debug({ generation }, 'subscribing to configSync');
    const store = stores.current;
    const applier = new SyncApplier('control-plane');
    client.subscribe<unknown>(
      {
        query: subscription,
        variables: {
          nodeId: this.#o.nodeId,
          appliedVersion: store?.version ?? null,
          appliedHash: this.#forceFull ? null : (store?.hash ?? null),
          protocol: syncProtocolVersion,
        },
      },
      {
        next: (result) => {
          if (generation !== this.#generation) return;
          if (result.errors?.length) {
            this.#subscriptionFailed(result.errors, 'configSync answered with errors');
            return;
          }
          const raw = (result.data as { configSync?: unknown } | null | undefined)?.configSync;
          this.#pendingPeak = Math.max(this.#pendingPeak, ++this.#pending);
          this.#flowControl();
          this.#queue = this.#queue
            .then(() => this.#process(generation, applier, raw))
            .catch((err: unknown) => {
              // A bug, not bad input: keep the last good config and start over with a full snapshot.
              logger.error({ err }, 'applying a sync message failed');
              this.#forceFull = true;
              this.#reconnectLater();
            })
            .finally(() => {
              this.#pending--;
              this.#flowControl();
            });
        },
        error: (err) => {
          if (generation !== this.#generation) return;
          this.#subscriptionFailed(err, 'config sync connection failed; serving the last good config');
        },
        complete: () => {
          if (generation !== this.#generation) return;
          logger.warn('configSync completed by the control plane; resubscribing');
          this.#reconnectLater();
        },
      },
    );
  }

  /**
   * Reads the next message only while at most `readAhead` wait behind the one being applied: the rest stay in the
   * socket, and TCP holds the control plane back. Parsing every part of a 100k-key snapshot ahead of applying them
   * kept them all alive at once, and their parsing and garbage collection starved requests for hundreds of ms.
   */
  #flowControl(): void {
    const socket = this.#socket;
    if (!socket) return;
    const full = this.#pending > readAhead;
    if (full && !socket.isPaused) socket.pause();
    else if (!full && socket.isPaused) socket.resume();
  }

  #subscriptionFailed(err: unknown, message: string): void {
    const errors = Array.isArray(err) ? err : [err];
    const mismatch = errors.find((e) => errorCodes(e).includes(protocolMismatchCode));
    if (mismatch) {
      this.#refused(String((mismatch as { message?: unknown }).message ?? protocolMismatchCode));
      return;
    }
    const code = (err as { code?: number })?.code;
    const reason =
      (err as { reason?: string })?.reason ||
      (err as Error)?.message ||
      errors.map((e) => (e as { message?: string })?.message).join('; ');
    this.#o.logger[this.#failing ? 'debug' : 'warn']({ code, reason }, message);
    this.#failing = true;
    this.#reconnectLater();
  }

  /** The control plane and we do not speak the same protocol: say so once, keep serving, retry slowly. */
  #refused(reason: string): void {
    if (!this.#refusalLogged) {
      this.#o.logger.error({ reason, protocol: syncProtocolVersion }, 'config sync refused: protocol mismatch');
    }
    this.#refusalLogged = true;
    this.#reconnectLater(this.#t.refusedMs);
  }

  async #process(generation: number, applier: SyncApplier, raw: unknown): Promise<void> {
    if (generation !== this.#generation) return;
    const { stores, logger } = this.#o;
    const outcome = await runStepsAsync(applier.apply(stores.current, raw), () => generation === this.#generation);
    // The subscription this message came on was dropped while it was being applied: a new one resends.
    if (!outcome || generation !== this.#generation || outcome.kind === 'pending') return;
    if (outcome.kind === 'rejected') {
      // The current store stays in force; a fresh subscription without appliedHash starts with a full snapshot.
      const rejection: LastRejected = {
        version: outcome.version,
        hash: outcome.hash,
        reason: outcome.reason.slice(0, 1000),
        at: new Date().toISOString(),
      };
      this.#lastRejected = rejection;
      this.#forceFull = true;
      logger.warn({ reason: outcome.reason, appliedVersion: stores.current?.version ?? null }, 'sync message rejected');
      this.#o.onRejected?.(rejection);
      if (outcome.resync) this.#reconnectLater();
      return;
    }
    const store = outcome.store;
    if (outcome.downgrade) {
      logger.warn({ from: stores.current?.version, to: store.version }, 'applying a full snapshot older than ours');
    }
    stores.swap(store);
    this.#lastRejected = null;
    this.#forceFull = false;
    this.#refusalLogged = false;
    this.#attempt = 0;
    this.#outageSince = null;
    logger.info({ version: store.version, hash: store.hash, full: outcome.full }, 'config applied');
    this.#o.onApplied?.(store);
    // Persist only what was applied, and only after applying it: a delta as a journal line, a full as a new base.
    const delta = outcome.full ? null : (raw as DeltaMessage);
    this.#o.file?.record(store, delta).catch((err: unknown) => logger.error({ err }, 'could not persist the snapshot'));
  }

  #reconnectLater(delayMs?: number): void {
    if (this.#stopped) return;
    void this.#dispose();
    if (this.#timer) clearTimeout(this.#timer);
    const now = Date.now();
    this.#outageSince ??= now;
    const delay = delayMs ?? reconnectDelay(this.#attempt++, now - this.#outageSince, this.#t);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#connect();
    }, delay);
    this.#timer.unref();
  }
}
