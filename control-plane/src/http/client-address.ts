// The client's address as login throttling counts it, for every transport (HTTP requests and WebSocket upgrades).
import type { IncomingMessage } from 'node:http';

/** The peer of the TCP connection; forwarding headers are not trusted, since any client can send them. */
export function clientAddress(req: IncomingMessage): string | null {
  return req.socket.remoteAddress ?? null;
}
