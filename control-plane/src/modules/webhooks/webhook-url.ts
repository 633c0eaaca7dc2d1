// Where a webhook may point: an absolute http(s) URL without credentials, of bounded length, and (unless the
// deployment allows it) not at a loopback, private, link-local or otherwise internal address, so that an org admin
// cannot make the control plane call into the network it runs in. Names are checked again when they resolve
// (webhook-post.ts), since DNS may point a public name at an internal address.
import { BlockList, isIP } from 'node:net';
import { badInput } from '../../errors.ts';
import { textLimits } from '../../graphql/input-limits.ts';

const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address (v4, v6 or v4-mapped v6) is one a webhook must not reach. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return internal.check(address, 'ipv4');
  if (family === 6) return internal.check(address, 'ipv6');
  return false;
}

/** The host of a URL as an IP address when it is one (without IPv6 brackets), else null. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : null;
}

/** The URL to store, or BAD_USER_INPUT naming `field`. */
export function validateWebhookUrl(field: string, value: string, allowInternal: boolean): string {
  const v = value.trim();
  if (v.length > textLimits.url) throw badInput(field, `url must be at most ${textLimits.url} characters`);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw badInput(field, 'url must be an absolute http(s) URL, e.g. https://hooks.example.com/gateway');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badInput(field, 'url must use http or https');
  // Stored and shown to every admin of the org: credentials would leak; the signature authenticates us instead.
  if (url.username || url.password) throw badInput(field, 'url must not contain a username or password');
  if (url.hash) throw badInput(field, 'url must not contain a fragment');
  if (!allowInternal) {
    const address = literalAddress(url);
    if (
      url.hostname === 'localhost' ||
      url.hostname.endsWith('.localhost') ||
      (address && isInternalAddress(address))
    ) {
      throw badInput(field, 'url must not point at a loopback, private or link-local address');
    }
  }
  return v;
}
