// One data plane's outgoing frames, exposed as the AsyncIterator a GraphQL subscription consumes. The parts of a
// full snapshot are consecutive and never cut: a backlog overflow keeps a full already under way.
import type { Frame } from './frames.ts';

/** Past this many unread deltas a slow subscriber gets one full snapshot (in parts) instead of a growing backlog. */
export const maxBacklog = 16;

export class SubscriberQueue implements AsyncIterableIterator<Frame> {
  readonly nodeId: string;
  /** Version of the last message queued for this subscriber; deltas must start from it. */
  sentVersion: number | null = null;
  #pending: Frame[] = [];
  #deltas = 0;
  /** The last frame handed to the socket: when a full's part, the parts after it must follow before anything else. */
  #lastTaken: Frame | null = null;
  #waiting: ((result: IteratorResult<Frame>) => void) | null = null;
  #done = false;
  readonly #onClose: (q: SubscriberQueue) => void;

  constructor(nodeId: string, onClose: (q: SubscriberQueue) => void) {
    this.nodeId = nodeId;
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#done;
  }

  /** Queues a delta; `full` gives the frames of a full of the newest version when the backlog overflows. */
  pushDelta(frame: Frame, full: () => Frame[]): void {
    if (this.#done) return;
    if (this.#deltas >= maxBacklog) {
      // Keep the rest of a full already under way; replace everything after it.
      const m = this.#lastTaken?.message;
      this.#pending.length = m?.type === 'full' ? Math.min(m.parts - m.part, this.#pending.length) : 0;
      this.#deltas = 0;
      this.pushFull(full());
      return;
    }
    this.sentVersion = frame.message.version;
    this.#deltas++;
    this.#put(frame);
  }

  pushFull(parts: Frame[]): void {
    if (this.#done || !parts.length) return;
    this.sentVersion = parts[0].message.version;
    for (const p of parts) this.#put(p);
  }

  #put(frame: Frame): void {
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      this.#taken(frame);
      resolve({ value: frame, done: false });
    } else this.#pending.push(frame);
  }

  #taken(frame: Frame): void {
    const m = frame.message;
    if (m.type === 'delta') this.#deltas = Math.max(0, this.#deltas - 1);
    this.#lastTaken = frame;
  }

  next(): Promise<IteratorResult<Frame>> {
    const value = this.#pending.shift();
    if (value) {
      this.#taken(value);
      return Promise.resolve({ value, done: false });
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /** Called by graphql-ws when the client completes or disconnects, and by the owner on shutdown. */
  return(): Promise<IteratorResult<Frame>> {
    if (!this.#done) {
      this.#done = true;
      this.#pending.length = 0;
      this.#waiting?.({ value: undefined, done: true });
      this.#waiting = null;
      this.#onClose(this);
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<Frame>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
