// A subscription's outgoing messages as the AsyncIterator graphql-ws consumes: a waiting reader gets a message at
// once, otherwise it waits in a bounded backlog whose overflow policy belongs to the kind of subscription.

export class PushQueue<T> implements AsyncIterableIterator<T> {
  #pending: T[] = [];
  #waiting: ((result: IteratorResult<T>) => void) | null = null;
  #done = false;
  readonly #maxBacklog: number;

  constructor(maxBacklog: number) {
    this.#maxBacklog = maxBacklog;
  }

  get closed(): boolean {
    return this.#done;
  }

  /**
   * Queues a message. With `maxBacklog` messages unread, `overflow` gets the backlog and the new message and
   * returns what the backlog becomes instead.
   */
  protected enqueue(message: T, overflow: (backlog: T[], message: T) => T[]): void {
    if (this.#done) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: message, done: false });
      return;
    }
    if (this.#pending.length >= this.#maxBacklog) this.#pending = overflow(this.#pending, message);
    else this.#pending.push(message);
  }

  /** Runs once, when the queue closes (the client completed or left, or the server shuts down). */
  protected onClosed(): void {}

  next(): Promise<IteratorResult<T>> {
    const value = this.#pending.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /** Called by graphql-ws when the client completes or disconnects, and by the owner on shutdown. */
  return(): Promise<IteratorResult<T>> {
    if (!this.#done) {
      this.#done = true;
      this.#pending.length = 0;
      this.#waiting?.({ value: undefined, done: true });
      this.#waiting = null;
      this.onClosed();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
