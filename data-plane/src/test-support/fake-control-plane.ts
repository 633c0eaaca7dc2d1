// A stand-in control plane speaking sync protocol 2: configSync over graphql-ws (graphql-transport-ws), stating its
// protocol in connection_ack, and the data-plane mutations (ingestUsage, reportNodeStatus) over HTTP POST /graphql.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fullMessages, type Snapshot, snapshotHash } from '@gw/schema';
import { type WebSocket, WebSocketServer } from 'ws';

export interface Subscription {
  readonly variables: {
    nodeId: string;
    appliedVersion: number | null;
    appliedHash?: string | null;
    protocol?: number | null;
  };
  next(value: unknown): void;
  /** Sends a full snapshot in parts of at most `perPart` resources. */
  full(version: number, snapshot: Snapshot, perPart?: number): void;
  /** Ends the subscription with GraphQL errors (e.g. PROTOCOL_MISMATCH). */
  fail(errors: { message: string; extensions?: Record<string, unknown> }[]): void;
  complete(): void;
}

export interface GraphQLPost {
  readonly authorization: string | undefined;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

export interface FakeControlPlane {
  readonly wsUrl: string;
  readonly httpUrl: string;
  /** Every HTTP GraphQL request, in order. */
  readonly posts: GraphQLPost[];
  /** Every connection_init payload seen, in order. */
  readonly inits: unknown[];
  readonly subscriptions: Subscription[];
  /** Resolves with the n-th (1-based) subscription once it exists. */
  subscription(n: number): Promise<Subscription>;
  dropAll(): void;
  close(): Promise<void>;
}

export interface FakeControlPlaneOptions {
  token: string;
  /** What connection_ack states as `protocol` (default 2; null: states nothing, as a v1 control plane). */
  protocol?: number | null;
  /** Answer the client's pings (default true). */
  answerPings?: () => boolean;
  /** The answer to leaseBudgets (its `data.leaseBudgets`, or a whole GraphQL answer with `errors`). */
  leaseBudgets?: (request: unknown) => { data?: unknown; errors?: unknown[] };
}

export async function startFakeControlPlane(options: FakeControlPlaneOptions): Promise<FakeControlPlane> {
  const protocol = options.protocol === undefined ? 2 : options.protocol;
  const posts: GraphQLPost[] = [];
  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLPost;
      posts.push({ authorization: req.headers.authorization, query: body.query, variables: body.variables });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        res.end(JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }));
      } else if (body.query.includes('leaseBudgets') && options.leaseBudgets) {
        res.end(JSON.stringify(options.leaseBudgets(body.variables.r)));
      } else if (body.query.includes('ingestUsage')) {
        const n = (body.variables.b as { records: unknown[] }).records.length;
        res.end(JSON.stringify({ data: { ingestUsage: { accepted: n, duplicates: 0 } } }));
      } else {
        res.end(JSON.stringify({ data: { reportNodeStatus: true } }));
      }
    });
  });
  const wss = new WebSocketServer({ server: http, path: '/graphql', handleProtocols: () => 'graphql-transport-ws' });
  const inits: unknown[] = [];
  const subscriptions: Subscription[] = [];
  let waiters: (() => void)[] = [];
  const sockets = new Set<WebSocket>();

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; id?: string; payload?: Record<string, unknown> };
      if (msg.type === 'connection_init') {
        inits.push(msg.payload);
        if (msg.payload?.authorization !== `Bearer ${options.token}`) ws.close(4403, 'Forbidden');
        else ws.send(JSON.stringify({ type: 'connection_ack', ...(protocol !== null && { payload: { protocol } }) }));
      } else if (msg.type === 'ping') {
        if (options.answerPings?.() ?? true) ws.send(JSON.stringify({ type: 'pong' }));
      } else if (msg.type === 'subscribe') {
        const id = msg.id!;
        const next = (value: unknown) =>
          ws.send(JSON.stringify({ type: 'next', id, payload: { data: { configSync: value } } }));
        subscriptions.push({
          variables: msg.payload?.variables as Subscription['variables'],
          next,
          full: (version, snapshot, perPart) => {
            for (const m of fullMessages(version, snapshotHash(snapshot), snapshot, perPart)) next(m);
          },
          fail: (errors) => ws.send(JSON.stringify({ type: 'error', id, payload: errors })),
          complete: () => ws.send(JSON.stringify({ type: 'complete', id })),
        });
        for (const w of waiters) w();
        waiters = [];
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
  const { port } = http.address() as AddressInfo;

  return {
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    httpUrl: `http://127.0.0.1:${port}`,
    posts,
    inits,
    subscriptions,
    async subscription(n) {
      while (subscriptions.length < n) await new Promise<void>((r) => waiters.push(r));
      return subscriptions[n - 1];
    },
    dropAll() {
      for (const s of sockets) s.terminate();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
