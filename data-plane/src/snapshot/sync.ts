// Keeps the store in step with the control plane over graphql-ws: verifies every message, swaps atomically,
// persists after applying, keeps the last good config on bad input, and reconnects with backoff.
import { closeCodes } from '@gw/schema';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { type BackoffOptions, backoffDelay } from '../backoff.ts';
import type { Logger } from '../logger.ts';
import { applySyncMessage } from './apply.ts';
import type { SnapshotFile } from './persist.ts';
import type { SnapshotStore, StoreHolder } from './store.ts';

const subscription =
  'subscription ($nodeId: String!, $appliedVersion: Int) { configSync(nodeId: $nodeId, appliedVersion: $appliedVersion) }';

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
  backoff?: BackoffOptions;
}

export class ConfigSync {
  readonly #o: ConfigSyncOptions;
  readonly #backoff: BackoffOptions;
  #client: Client | null = null;
  /** Bumped on every (re)connect so that late events from a disposed client are ignored. */
  #generation = 0;
  #attempt = 0;
  #timer: NodeJS.Timeout | null = null;
  #stopped = true;
  #connected = false;
  /** Only the first failure of a streak is logged at warn; the retries every few seconds go to debug. */
  #failing = false;

  constructor(options: ConfigSyncOptions) {
    this.#o = options;
    this.#backoff = options.backoff ?? { minMs: 250, maxMs: 10_000 };
  }

  get connected(): boolean {
    return this.#connected;
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
  }

  async #dispose(): Promise<void> {
    this.#generation++;
    this.#connected = false;
    const client = this.#client;
    this.#client = null;
    if (client) await Promise.resolve(client.dispose()).catch(() => {});
  }

  #connect(): void {
    if (this.#stopped) return;
    const generation = ++this.#generation;
    const { logger } = this.#o;
    const client = createClient({
      url: this.#o.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.#o.token}` },
      lazy: true,
      // Reconnection is ours (fresh appliedVersion, shared backoff, resubscribe on bad deltas).
      retryAttempts: 0,
      keepAlive: 10_000,
      on: {
        connected: () => {
          if (generation !== this.#generation) return;
          this.#connected = true;
          this.#failing = false;
          logger.info({ url: this.#o.url }, 'connected to the control plane');
        },
        closed: (event) => {
          if (generation !== this.#generation) return;
          this.#connected = false;
          const code = (event as { code?: number } | undefined)?.code;
          if (code === closeCodes.forbidden) {
            // An operator may be rotating the token: keep serving and keep trying.
            logger.error('the control plane rejected the data-plane token (4403); retrying with backoff');
          }
        },
      },
    });
    this.#client = client;
    client.subscribe<unknown>(
      {
        query: subscription,
        variables: { nodeId: this.#o.nodeId, appliedVersion: this.#o.stores.current?.version ?? null },
      },
      {
        next: (result) => {
          if (generation !== this.#generation) return;
          if (result.errors?.length) {
            logger.warn({ errors: result.errors.map((e) => e.message) }, 'configSync answered with errors');
            this.#reconnectLater();
            return;
          }
          this.#onMessage((result.data as { configSync?: unknown } | null | undefined)?.configSync);
        },
        error: (err) => {
          if (generation !== this.#generation) return;
          const code = (err as { code?: number })?.code;
          const reason = (err as { reason?: string })?.reason || (err as Error)?.message;
          logger[this.#failing ? 'debug' : 'warn'](
            { code, reason },
            'config sync connection failed; serving the last good config',
          );
          this.#failing = true;
          this.#reconnectLater();
        },
        complete: () => {
          if (generation !== this.#generation) return;
          logger.warn('configSync completed by the control plane; resubscribing');
          this.#reconnectLater();
        },
      },
    );
  }

  #onMessage(raw: unknown): void {
    const { stores, logger } = this.#o;
    const outcome = applySyncMessage(stores.current, raw);
    if (outcome.kind === 'rejected') {
      // The current store stays in force; a fresh subscription starts with a full snapshot.
      logger.warn({ reason: outcome.reason, appliedVersion: stores.current?.version ?? null }, 'sync message rejected');
      if (outcome.resync) this.#reconnectLater();
      return;
    }
    const store = outcome.store;
    if (outcome.downgrade) {
      logger.warn({ from: stores.current?.version, to: store.version }, 'applying a full snapshot older than ours');
    }
    stores.swap(store);
    if (outcome.full) this.#attempt = 0;
    logger.info({ version: store.version, hash: store.hash, full: outcome.full }, 'config applied');
    this.#o.onApplied?.(store);
    // Persist only what was applied, and only after applying it.
    this.#o.file
      ?.save({ version: store.version, hash: store.hash, snapshot: store.snapshot })
      .catch((err: unknown) => logger.error({ err }, 'could not persist the snapshot'));
  }

  #reconnectLater(): void {
    if (this.#stopped) return;
    void this.#dispose();
    if (this.#timer) clearTimeout(this.#timer);
    const delay = backoffDelay(this.#attempt++, this.#backoff);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#connect();
    }, delay);
    this.#timer.unref();
  }
}
