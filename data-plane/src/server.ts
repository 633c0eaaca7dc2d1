// node:http around the app (its proxy lane first, then h3): connection limits and timeouts for slow or idle clients,
// and a graceful stop that answers every request that reaches an open connection.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, Server as NetServer, type Socket } from 'node:net';
import { toNodeHandler } from 'h3';
import type { GatewayApp } from './app.ts';

export interface ServerLimits {
  /** A client must send its complete request headers within this time; 408 and close otherwise. */
  headersTimeoutMs: number;
  /**
   * A client must send its whole request, headers and body, within this time; 408 and close otherwise. Node stops
   * this clock once the request is received, so responses (long provider streams) are not limited by it.
   */
  requestReadTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time (advertised in `Keep-Alive: timeout=`). */
  keepAliveTimeoutMs: number;
  /** Connections beyond this many are closed as soon as they are accepted. */
  maxConnections: number;
  /**
   * During a stop, a connection stays open this long after it went idle (or after the stop began), so that a
   * request its client sent before learning of the stop is answered (with `connection: close`) and not reset.
   */
  drainIdleMs: number;
}

export interface GatewayServer {
  readonly server: Server;
  readonly url: string;
  inFlight(): number;
  /**
   * Stops accepting connections; answers what still arrives with `connection: close`; closes each connection
   * once it is idle (after `drainIdleMs`); waits for in-flight requests and streams up to graceMs, then cuts the rest.
   */
  close(graceMs: number): Promise<{ drained: boolean }>;
}

interface Connection {
  /** Requests received on it and not yet answered (more than one only when a client pipelines). */
  active: number;
  /** The newest response, so that a stop can still add `connection: close` before its headers go out. */
  res: ServerResponse | null;
  idleTimer: NodeJS.Timeout | null;
}

export function startServer(
  gateway: GatewayApp,
  options: { host: string; port: number; limits: ServerLimits; onConnectionRefused?: () => void },
): Promise<GatewayServer> {
  const { limits } = options;
  const handler = toNodeHandler(gateway.app);
  const lane = gateway.lane;
  const connections = new Map<Socket, Connection>();
  let inFlight = 0;
  let closing = false;

  /** While closing: an idle connection gets drainIdleMs for a late request, then it is closed. */
  const closeWhenIdle = (socket: Socket, conn: Connection) => {
    if (conn.active > 0 || conn.idleTimer) return;
    conn.idleTimer = setTimeout(() => socket.destroy(), limits.drainIdleMs);
  };

  function track(socket: Socket): Connection {
    const conn: Connection = { active: 0, res: null, idleTimer: null };
    connections.set(socket, conn);
    socket.once('close', () => {
      if (conn.idleTimer) clearTimeout(conn.idleTimer);
      connections.delete(socket);
    });
    return conn;
  }

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestReadTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two timeouts above on this interval (default 30 s, which would add up to 30 s to them).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.ceil(limits.headersTimeoutMs / 4))),
    },
    (req: IncomingMessage, res: ServerResponse) => {
      // Every socket is registered on 'connection', before any request can arrive on it.
      const conn = connections.get(req.socket) ?? track(req.socket);
      inFlight++;
      conn.active++;
      conn.res = res;
      if (conn.idleTimer) {
        clearTimeout(conn.idleTimer);
        conn.idleTimer = null;
      }
      res.once('close', () => {
        inFlight--;
        conn.active--;
        if (conn.res === res) conn.res = null;
        if (closing) closeWhenIdle(req.socket, conn);
      });
      // While draining, every answer tells the client not to reuse this connection.
      if (closing) res.setHeader('connection', 'close');
      if (!lane(req, res)) void handler(req, res);
    },
  );
  server.maxConnections = limits.maxConnections;
  server.on('drop', () => options.onConnectionRefused?.());
  server.on('connection', (socket: Socket) => {
    const conn = track(socket);
    if (closing) closeWhenIdle(socket, conn);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        server,
        url: `http://${host}:${address.port}`,
        inFlight: () => inFlight,
        async close(graceMs) {
          closing = true;
          // net's close, not http's: http's also destroys idle connections at once, resetting any request that
          // is already on its way to them. This one only stops accepting and reports when the last one closed.
          const closed = new Promise<void>((done) => NetServer.prototype.close.call(server, () => done()));
          for (const [socket, conn] of connections) {
            if (conn.active === 0) closeWhenIdle(socket, conn);
            else if (conn.res && !conn.res.headersSent) conn.res.setHeader('connection', 'close');
          }
          let timer: NodeJS.Timeout | undefined;
          const graceOver = new Promise<boolean>((done) => {
            timer = setTimeout(() => done(true), graceMs);
          });
          const cut = await Promise.race([closed.then(() => false), graceOver]);
          clearTimeout(timer);
          const drained = inFlight === 0;
          if (cut) {
            // The server's close fires as soon as the last socket is destroyed, before the sockets' own 'close' (and
            // with it each cut response's, which meters its stream): wait for those, or the records of the streams
            // cut here could miss the usage flush that follows the stop.
            const sockets = [...connections.keys()];
            const gone = sockets.map((socket) => new Promise<void>((done) => socket.once('close', () => done())));
            for (const socket of sockets) socket.destroy();
            await Promise.all(gone);
          }
          await closed;
          // Everything is closed; http's close now only stops Node's timeout checker (an interval).
          server.close();
          return { drained };
        },
      });
    });
  });
}
