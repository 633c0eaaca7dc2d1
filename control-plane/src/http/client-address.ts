// The client's address as login throttling counts it, for every transport (HTTP requests and WebSocket upgrades).
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) reads as `10.0.0.1`. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

function isTrusted(trusted: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address. The TCP peer, unless it is one of the TRUSTED_PROXIES: then X-Forwarded-For is read from
 * the right (each proxy appends the address it saw) and the first address that is not a trusted proxy is the
 * client. Without trusted proxies, forwarding headers are ignored, since any client can send them.
 */
export function clientAddress(req: IncomingMessage, trusted: BlockList | null = null): string | null {
  const peer = req.socket.remoteAddress ? plain(req.socket.remoteAddress) : null;
  if (!trusted || !peer || !isTrusted(trusted, peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((h) => plain(h.trim()))
    .filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    // A hop that is not an address cannot be trusted to name anyone: count the request against the last proxy.
    if (isIP(hops[i]) === 0) break;
    client = hops[i];
    if (!isTrusted(trusted, client)) break;
  }
  return client;
}

/**
 * TRUSTED_PROXIES: comma-separated addresses and CIDR ranges (`10.0.0.0/8, 192.168.1.7, fd00::/8`). Returns the
 * list, or the entries it could not read.
 */
export function parseTrustedProxies(value: string): { list: BlockList | null; bad: string[] } {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) return { list: null, bad: [] };
  const list = new BlockList();
  const bad: string[] = [];
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address);
    const prefix = bits === undefined ? null : Number(bits);
    const max = family === 4 ? 32 : 128;
    if (
      family === 0 ||
      extra !== undefined ||
      (prefix !== null && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max))
    ) {
      bad.push(entry);
      continue;
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === null) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return { list, bad };
}
