// One data plane's outgoing message queue, exposed as the AsyncIterator a GraphQL subscription consumes.
import type { SyncMessage } from '@gw/schema';

/** Past this many unread messages a slow subscriber gets one full snapshot instead of a growing backlog. */
const maxBacklog = 16;

export class SubscriberQueue implements AsyncIterableIterator<SyncMessage> {
  readonly nodeId: string;
  /** Version of the last message queued for this subscriber; deltas must start from it. */
  sentVersion: number | null = null;
  readonly #pending: SyncMessage[] = [];
  #waiting: ((result: IteratorResult<SyncMessage>) => void) | null = null;
  #done = false;
  readonly #onClose: (q: SubscriberQueue) => void;

  constructor(nodeId: string, onClose: (q: SubscriberQueue) => void) {
    this.nodeId = nodeId;
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#done;
  }

  /** Queues a message; `full` builds the replacement when the backlog overflows. */
  push(message: SyncMessage, full: () => SyncMessage): void {
    if (this.#done) return;
    this.sentVersion = message.version;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: message, done: false });
      return;
    }
    if (this.#pending.length >= maxBacklog) this.#pending.splice(0, this.#pending.length, full());
    else this.#pending.push(message);
  }

  next(): Promise<IteratorResult<SyncMessage>> {
    const value = this.#pending.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /** Called by graphql-ws when the client completes or disconnects, and by the publisher on shutdown. */
  return(): Promise<IteratorResult<SyncMessage>> {
    if (!this.#done) {
      this.#done = true;
      this.#pending.length = 0;
      this.#waiting?.({ value: undefined, done: true });
      this.#waiting = null;
      this.#onClose(this);
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<SyncMessage>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
