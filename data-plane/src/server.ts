// node:http around the h3 app, with in-flight tracking for a graceful stop.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { H3 } from 'h3';
import { toNodeHandler } from 'h3';

export interface GatewayServer {
  readonly server: Server;
  readonly url: string;
  inFlight(): number;
  /** Stops accepting, waits for in-flight requests and streams (up to graceMs), then drops the rest. */
  close(graceMs: number): Promise<{ drained: boolean }>;
}

export function startServer(app: H3, options: { host: string; port: number }): Promise<GatewayServer> {
  const handler = toNodeHandler(app);
  let inFlight = 0;
  let closing = false;
  let onIdle: (() => void) | null = null;

  const server = createServer(
    // Long streams must not be cut by Node's whole-request timer; idle sockets still time out.
    { requestTimeout: 0, keepAliveTimeout: 65_000 },
    (req: IncomingMessage, res: ServerResponse) => {
      inFlight++;
      res.once('close', () => {
        inFlight--;
        if (inFlight === 0) onIdle?.();
      });
      // While draining, every answer tells the client not to reuse this connection.
      if (closing) res.setHeader('connection', 'close');
      void handler(req, res);
    },
  );

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
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeIdleConnections();
          const drained =
            inFlight === 0 ||
            (await new Promise<boolean>((done) => {
              const timer = setTimeout(() => done(false), graceMs);
              onIdle = () => {
                clearTimeout(timer);
                done(true);
              };
            }));
          server.closeAllConnections();
          await closed;
          return { drained };
        },
      });
    });
  });
}
