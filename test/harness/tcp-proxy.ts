// A TCP proxy in front of a server (PostgreSQL, say) that a test can cut, close to new connections, or hold shut
// until every client it waits for has connected: outages and simultaneous starts without touching the server.
import { connect, createServer, type Socket } from 'node:net';
import { freePort } from './ports.ts';

/** open: forward; closed: drop every new connection at once; held: keep new ones waiting until the mode changes. */
export type ProxyMode = 'open' | 'closed' | 'held';

export interface TcpProxy {
  port: number;
  /** Connections accepted so far (held, dropped and forwarded alike). */
  readonly accepted: number;
  /** Switches the mode for new connections; going to `open` lets the held ones through. */
  setMode(mode: ProxyMode): void;
  /** Resets every connection open now (both sides); new ones follow the mode. */
  cut(): void;
  /** `url` with its host and port replaced by the proxy's. */
  via(url: string): string;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const held: Socket[] = [];
  let mode: ProxyMode = 'open';
  let accepted = 0;

  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const forward = (client: Socket) => {
    if (client.destroyed) return;
    const upstream = connect(target.port, target.host);
    track(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  };
  const server = createServer({ pauseOnConnect: true }, (client) => {
    accepted += 1;
    track(client);
    if (mode === 'closed') client.resetAndDestroy();
    else if (mode === 'held') held.push(client);
    else forward(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    get accepted() {
      return accepted;
    },
    setMode(next) {
      mode = next;
      if (next === 'held') return;
      for (const client of held.splice(0)) {
        if (next === 'open') forward(client);
        else client.resetAndDestroy();
      }
    },
    cut() {
      held.length = 0;
      for (const s of sockets) s.resetAndDestroy();
    },
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
