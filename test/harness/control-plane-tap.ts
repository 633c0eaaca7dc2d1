// An HTTP proxy between data planes and the control plane that sees every usage batch: it can hold a batch's
// answer (committed, never acknowledged), refuse batches, and call back the moment one is handed over.
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { freePort } from './ports.ts';

export interface IngestCall {
  seq: number;
  /** nodeId of the batch's first record. */
  nodeId: string | undefined;
  requestIds: string[];
  outcome: 'pending' | 'answered' | 'held' | 'dropped' | 'refused' | 'failed';
  /** `ingestUsage { accepted duplicates }` from the control plane's answer, once relayed. */
  accepted?: number;
  duplicates?: number;
}

export type IngestFilter = (call: IngestCall) => boolean;

export interface ControlPlaneTap {
  /** Give this to the data planes as CONTROL_PLANE_URL. */
  url: string;
  /** Every usage batch seen, in arrival order. */
  calls: IngestCall[];
  /** Answer matching batches 503 without forwarding them (the control plane never sees them); null: forward all. */
  refuse(filter: IngestFilter | null): void;
  /** Holds the answer of the next matching batch once the control plane sent it; resolves with that batch. */
  holdNext(filter: IngestFilter): Promise<IngestCall>;
  /** Cuts the data planes' connections of held batches: they never learn that the batch was taken. */
  dropHeld(): void;
  /** Called synchronously right after a batch was written to the control plane (before any answer). */
  onForwarded: ((call: IngestCall) => void) | undefined;
  close(): Promise<void>;
}

interface Held {
  call: IngestCall;
  clientRes: ServerResponse;
}

type Records = { requestId: string; nodeId?: string }[];

/** The records of an `ingestUsage` call, whatever its variable is named. */
function parseBatch(body: string): Pick<IngestCall, 'nodeId' | 'requestIds'> | undefined {
  if (!body.includes('ingestUsage')) return undefined;
  try {
    const { variables } = JSON.parse(body) as { variables?: Record<string, { records?: Records } | undefined> };
    const records = Object.values(variables ?? {}).find((v) => Array.isArray(v?.records))?.records ?? [];
    return { nodeId: records[0]?.nodeId, requestIds: records.map((r) => r.requestId) };
  } catch {
    return { nodeId: undefined, requestIds: [] };
  }
}

/** Proxies to `target` (http://host:port); WebSocket upgrades (config sync) pass through untouched. */
export async function startControlPlaneTap(target: string): Promise<ControlPlaneTap> {
  const upstream = new URL(target);
  const port = await freePort();
  const sockets = new Set<Socket>();
  const calls: IngestCall[] = [];
  const held: Held[] = [];
  let refuseFilter: IngestFilter | null = null;
  let holdWaiter: { filter: IngestFilter; resolve: (c: IngestCall) => void } | undefined;

  const tap: ControlPlaneTap = {
    url: `http://127.0.0.1:${port}`,
    calls,
    refuse: (filter) => {
      refuseFilter = filter;
    },
    holdNext: (filter) =>
      new Promise((resolve) => {
        holdWaiter = { filter, resolve };
      }),
    dropHeld: () => {
      for (const h of held.splice(0)) {
        h.call.outcome = 'dropped';
        h.clientRes.socket?.destroy();
      }
    },
    onForwarded: undefined,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const forward = (req: IncomingMessage, clientRes: ServerResponse, body: Buffer, call: IngestCall | undefined) => {
    // A fresh upstream connection per request: a killed control plane fails the request at once.
    const up = request({
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, connection: 'close' },
      agent: false,
    });
    up.on('error', () => {
      if (call && call.outcome === 'pending') call.outcome = 'failed';
      if (call?.outcome !== 'dropped') clientRes.socket?.destroy();
    });
    up.on('response', (upRes) => {
      const chunks: Buffer[] = [];
      upRes.on('data', (c: Buffer) => chunks.push(c));
      upRes.on('error', () => clientRes.socket?.destroy());
      upRes.on('end', () => {
        const answer = Buffer.concat(chunks);
        if (call && holdWaiter?.filter(call)) {
          const { resolve } = holdWaiter;
          holdWaiter = undefined;
          call.outcome = 'held';
          held.push({ call, clientRes });
          resolve(call);
          return;
        }
        if (call) {
          call.outcome = 'answered';
          try {
            const parsed = JSON.parse(answer.toString('utf8')) as {
              data?: { ingestUsage?: { accepted: number; duplicates: number } };
            };
            call.accepted = parsed.data?.ingestUsage?.accepted;
            call.duplicates = parsed.data?.ingestUsage?.duplicates;
          } catch {
            // not JSON: leave the counts unset
          }
        }
        const headers = { ...upRes.headers };
        delete headers['transfer-encoding'];
        delete headers.connection;
        clientRes.writeHead(upRes.statusCode ?? 502, { ...headers, 'content-length': String(answer.length) });
        clientRes.end(answer);
      });
    });
    up.end(body);
    if (call) tap.onForwarded?.(call);
  };

  const server = createServer((req, clientRes) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const batch = parseBatch(body.toString('utf8'));
      const call = batch && { seq: calls.length, ...batch, outcome: 'pending' as IngestCall['outcome'] };
      if (call) calls.push(call);
      if (call && refuseFilter?.(call)) {
        call.outcome = 'refused';
        clientRes.writeHead(503, { 'content-type': 'text/plain' });
        clientRes.end('usage ingestion refused by the test tap');
        return;
      }
      forward(req, clientRes, body, call);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const up = connect(Number(upstream.port), upstream.hostname);
    sockets.add(up);
    up.on('close', () => sockets.delete(up));
    const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    up.on('connect', () => {
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    const cut = () => {
      up.destroy();
      client.destroy();
    };
    up.on('error', cut);
    up.on('close', cut);
    client.on('error', cut);
    client.on('close', cut);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return tap;
}
