// Tells the control plane which config this node runs and the last message it refused (NACK): after every apply,
// right after every rejection, and every 10 s as a heartbeat.
import { type LastRejected, type NodeStatusReport, syncProtocolVersion } from '@gw/schema';
import type { ControlPlaneClient } from '../control-plane-client.ts';
import type { Logger } from '../logger.ts';
import type { StoreHolder } from './store.ts';

const mutation = 'mutation ($i: JSON!) { reportNodeStatus(input: $i) }';

export class NodeStatusReporter {
  readonly #client: ControlPlaneClient;
  readonly #stores: StoreHolder;
  readonly #logger: Logger;
  readonly #base: Pick<NodeStatusReport, 'nodeId' | 'startedAt' | 'version'>;
  readonly #intervalMs: number;
  readonly #usage: (() => NonNullable<NodeStatusReport['usage']>) | undefined;
  readonly #lastRejected: () => LastRejected | null;
  #timer: NodeJS.Timeout | null = null;
  #inFlight: Promise<void> | null = null;
  #again = false;
  #failing = false;

  constructor(options: {
    client: ControlPlaneClient;
    stores: StoreHolder;
    logger: Logger;
    nodeId: string;
    startedAt: Date;
    version: string;
    intervalMs?: number;
    /** Usage delivery figures: backlog and dead letters. */
    usage?: () => NonNullable<NodeStatusReport['usage']>;
    /** The last sync message refused, until a later one applied (ConfigSync.lastRejected). */
    lastRejected?: () => LastRejected | null;
  }) {
    this.#client = options.client;
    this.#stores = options.stores;
    this.#logger = options.logger;
    this.#base = { nodeId: options.nodeId, startedAt: options.startedAt.toISOString(), version: options.version };
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#usage = options.usage;
    this.#lastRejected = options.lastRejected ?? (() => null);
  }

  report(): NodeStatusReport {
    const store = this.#stores.current;
    return {
      ...this.#base,
      appliedVersion: store?.version ?? null,
      appliedHash: store?.hash ?? null,
      source: store?.source ?? null,
      protocol: syncProtocolVersion,
      lastRejected: this.#lastRejected(),
      ...(this.#usage && { usage: this.#usage() }),
    };
  }

  start(): void {
    this.#timer = setInterval(() => void this.reportNow(), this.#intervalMs);
    this.#timer.unref();
    void this.reportNow();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** At most one report in flight; a call during one schedules exactly one more with fresh state. */
  reportNow(): Promise<void> {
    if (this.#inFlight) {
      this.#again = true;
      return this.#inFlight;
    }
    this.#inFlight = (async () => {
      do {
        this.#again = false;
        try {
          await this.#client.request(mutation, { i: this.report() });
          if (this.#failing) this.#logger.info('node status reports reach the control plane again');
          this.#failing = false;
        } catch (err) {
          // Log the first failure of a streak only: the heartbeat repeats every 10 s.
          if (!this.#failing) this.#logger.warn({ err: (err as Error).message }, 'node status report failed');
          this.#failing = true;
        }
      } while (this.#again);
    })().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }
}
