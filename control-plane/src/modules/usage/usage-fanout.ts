// This replica's usageUpdates subscribers: deltas from gw_usage are coalesced per org (at most one message per
// org per interval, the first one at once) and handed to every subscriber of that org and to the platform-wide ones.
import { PushQueue } from '../../graphql/push-queue.ts';
import { mergeDeltas, type UsageDelta } from './usage-notify.ts';

export interface UsageUpdateMessage extends UsageDelta {
  /** When this replica sent it (ms since the epoch). */
  sentAt: number;
}

/** Past this many unread messages the oldest are dropped: updates are hints, and the reader re-reads aggregates. */
const maxBacklog = 256;

/** One subscriber's queue, as the AsyncIterator a GraphQL subscription consumes. */
export class UpdateQueue extends PushQueue<UsageUpdateMessage> {
  /** The org this subscriber follows; null = every org. */
  readonly orgId: string | null;
  readonly #onClose: (q: UpdateQueue) => void;

  constructor(orgId: string | null, onClose: (q: UpdateQueue) => void) {
    super(maxBacklog);
    this.orgId = orgId;
    this.#onClose = onClose;
  }

  push(message: UsageUpdateMessage): void {
    this.enqueue(message, (backlog, latest) => [...backlog.slice(1), latest]);
  }

  protected override onClosed(): void {
    this.#onClose(this);
  }
}

interface OrgState {
  /** Usage received since the last message for this org. */
  pending: UsageDelta | null;
  /** Fires when the org may be sent the next message; while it runs, new usage waits in `pending`. */
  timer: NodeJS.Timeout;
}

export interface FanoutOptions {
  /** Shortest time between two messages about the same org. */
  intervalMs?: number;
  now?: () => number;
}

export class UsageFanout {
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #subscribers = new Set<UpdateQueue>();
  /** Subscribers per followed org; `null` counts the platform-wide ones. */
  readonly #interest = new Map<string | null, number>();
  readonly #orgs = new Map<string, OrgState>();

  constructor(opts: FanoutOptions = {}) {
    this.#intervalMs = opts.intervalMs ?? 1_000;
    this.#now = opts.now ?? Date.now;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  subscribe(orgId: string | null): UpdateQueue {
    const queue = new UpdateQueue(orgId, (q) => {
      this.#subscribers.delete(q);
      const left = (this.#interest.get(q.orgId) ?? 1) - 1;
      if (left > 0) this.#interest.set(q.orgId, left);
      else this.#interest.delete(q.orgId);
    });
    this.#subscribers.add(queue);
    this.#interest.set(orgId, (this.#interest.get(orgId) ?? 0) + 1);
    return queue;
  }

  /** New usage from one notification. Orgs nobody here follows are dropped at once. */
  add(deltas: UsageDelta[]): void {
    for (const delta of deltas) {
      if (!this.#interest.has(null) && !this.#interest.has(delta.orgId)) continue;
      const state = this.#orgs.get(delta.orgId);
      if (state) {
        state.pending = state.pending ? mergeDeltas(state.pending, delta) : delta;
        continue;
      }
      // Sent on the next turn of the event loop, so the orgs of one burst of notifications travel together.
      this.#orgs.set(delta.orgId, { pending: delta, timer: this.#after(0, delta.orgId) });
    }
  }

  async stop(): Promise<void> {
    for (const state of this.#orgs.values()) clearTimeout(state.timer);
    this.#orgs.clear();
    for (const q of [...this.#subscribers]) await q.return();
  }

  #after(ms: number, orgId: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.#flush(orgId), ms);
    timer.unref();
    return timer;
  }

  /** Sends what is pending, then holds the org for one interval; an interval without new usage forgets it. */
  #flush(orgId: string): void {
    const state = this.#orgs.get(orgId);
    if (!state) return;
    if (!state.pending) {
      this.#orgs.delete(orgId);
      return;
    }
    const message: UsageUpdateMessage = { ...state.pending, sentAt: this.#now() };
    state.pending = null;
    state.timer = this.#after(this.#intervalMs, orgId);
    for (const q of this.#subscribers) if (q.orgId === null || q.orgId === orgId) q.push(message);
  }
}
