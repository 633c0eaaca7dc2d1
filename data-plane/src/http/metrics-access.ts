// Who may read /metrics: it names tenants and their spend, so never the open internet by default.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { H3Event } from 'h3';

const digest = (s: string) => createHash('sha256').update(s).digest();

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * With a token configured, only `Authorization: Bearer <token>` (compared in constant time) gets through;
 * without one, only callers on this host do (a Prometheus agent beside the gateway, a port-forward).
 */
export function mayReadMetrics(event: H3Event, token: string | null | undefined): boolean {
  if (token) {
    const header = event.req.headers.get('authorization') ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    return presented.length > 0 && timingSafeEqual(digest(presented), digest(token));
  }
  const req = event.runtime?.node?.req as IncomingMessage | undefined;
  return isLoopback(req?.socket.remoteAddress);
}
