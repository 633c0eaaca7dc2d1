// A data plane's configSync subscription in tests: speaks protocol 2 and assembles full snapshots from their parts.
import {
  type DeltaMessage,
  type FullMessage,
  type Snapshot,
  type SyncMessage,
  syncMessage,
  syncProtocolVersion,
} from '@gw/schema';
import type { Client } from 'graphql-ws';

/** A full snapshot put back together from its parts. */
export interface AssembledFull {
  type: 'full';
  version: number;
  hash: string;
  parts: number;
  snapshot: Snapshot;
}
export type Assembled = AssembledFull | DeltaMessage;

export interface Feed {
  /** Deltas, and full snapshots once their last part arrived. */
  messages: Assembled[];
  /** Every message as received (the parts of a full one by one). */
  raw: SyncMessage[];
  errors: unknown[];
  closed: { code?: number } | null;
  stop(): void;
}

export interface FeedOptions {
  appliedVersion?: number | null;
  appliedHash?: string | null;
  /** Default: the protocol of this code; null leaves the argument out (a data plane older than v2). */
  protocol?: number | null;
}

const query = `subscription($n: String!, $v: Int, $h: String, $p: Int) {
  configSync(nodeId: $n, appliedVersion: $v, appliedHash: $h, protocol: $p)
}`;
const queryV1 = 'subscription($n: String!) { configSync(nodeId: $n) }';

export function subscribeFeed(client: Client, nodeId: string, options: FeedOptions = {}): Feed {
  const feed: Feed = { messages: [], raw: [], errors: [], closed: null, stop: () => {} };
  const protocol = options.protocol === undefined ? syncProtocolVersion : options.protocol;
  let parts: FullMessage[] = [];
  const variables = { n: nodeId, v: options.appliedVersion ?? null, h: options.appliedHash ?? null, p: protocol };
  feed.stop = client.subscribe<unknown>(
    protocol === null ? { query: queryV1, variables: { n: nodeId } } : { query, variables },
    {
      next: (r) => {
        if (r.errors) return void feed.errors.push(...r.errors);
        const m = syncMessage.parse((r.data as { configSync: unknown }).configSync);
        feed.raw.push(m);
        if (m.type === 'delta') return void feed.messages.push(m);
        parts.push(m);
        if (m.part < m.parts) return;
        const snapshot = { orgs: {}, teams: {}, users: {}, keys: {}, credentials: {}, models: {} } as Snapshot;
        for (const p of parts) {
          for (const [kind, records] of Object.entries(p.resources)) {
            Object.assign(((snapshot as Record<string, object>)[kind] ??= {}), records);
          }
        }
        feed.messages.push({ type: 'full', version: m.version, hash: m.hash, parts: m.parts, snapshot });
        parts = [];
      },
      error: (e) => {
        feed.errors.push(e);
        feed.closed = { code: (e as { code?: number }).code };
      },
      complete: () => {},
    },
  );
  return feed;
}
