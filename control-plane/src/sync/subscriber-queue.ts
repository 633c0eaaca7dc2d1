// One data plane's outgoing message queue, exposed as the AsyncIterator a GraphQL subscription consumes.
import type { SyncMessage } from '@gw/schema';
import { PushQueue } from '../graphql/push-queue.ts';

/** Past this many unread messages a slow subscriber gets one full snapshot instead of a growing backlog. */
const maxBacklog = 16;

export class SubscriberQueue extends PushQueue<SyncMessage> {
  readonly nodeId: string;
  /** Version of the last message queued for this subscriber; deltas must start from it. */
  sentVersion: number | null = null;
  readonly #onClose: (q: SubscriberQueue) => void;

  constructor(nodeId: string, onClose: (q: SubscriberQueue) => void) {
    super(maxBacklog);
    this.nodeId = nodeId;
    this.#onClose = onClose;
  }

  /** Queues a message; `full` builds the replacement when the backlog overflows. */
  push(message: SyncMessage, full: () => SyncMessage): void {
    if (this.closed) return;
    this.sentVersion = message.version;
    this.enqueue(message, () => [full()]);
  }

  protected override onClosed(): void {
    this.#onClose(this);
  }
}
