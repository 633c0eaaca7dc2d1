// The client address login throttling counts: the TCP peer, or behind trusted proxies the first untrusted hop.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies } from './client-address.ts';

const req = (peer: string | undefined, xff?: string | string[]) =>
  ({
    socket: { remoteAddress: peer },
    headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
  }) as IncomingMessage;

const proxies = parseTrustedProxies('10.0.0.0/8, 192.168.1.7, fd00::/8').list;

describe('clientAddress', () => {
  it.each([
    ['no trusted proxies: the peer, whatever the header says', null, req('203.0.113.9', '1.2.3.4'), '203.0.113.9'],
    ['an untrusted peer cannot name another client', proxies, req('203.0.113.9', '1.2.3.4'), '203.0.113.9'],
    ['a trusted proxy names the client', proxies, req('10.1.2.3', '198.51.100.20'), '198.51.100.20'],
    ['dual-stack form of a trusted peer', proxies, req('::ffff:10.1.2.3', '198.51.100.20'), '198.51.100.20'],
    [
      'hops read from the right, skipping trusted ones',
      proxies,
      req('10.1.2.3', '6.6.6.6, 198.51.100.20, 192.168.1.7'),
      '198.51.100.20',
    ],
    [
      'a client-forged leftmost hop is ignored',
      proxies,
      req('10.1.2.3', ['6.6.6.6', '198.51.100.20']),
      '198.51.100.20',
    ],
    ['IPv6 proxies and clients', proxies, req('fd00::1', '2001:db8::5'), '2001:db8::5'],
    ['no header: the proxy itself', proxies, req('10.1.2.3'), '10.1.2.3'],
    ['a hop that is not an address stops the walk', proxies, req('10.1.2.3', '1.2.3.4, unknown'), '10.1.2.3'],
    ['every hop trusted: the leftmost', proxies, req('10.1.2.3', '10.9.9.9, 192.168.1.7'), '10.9.9.9'],
    ['no peer (socket gone)', proxies, req(undefined, '1.2.3.4'), null],
  ])('%s', (_, trusted, request, expected) => {
    expect(clientAddress(request, trusted)).toBe(expected);
  });
});

describe('parseTrustedProxies', () => {
  it('reads addresses and ranges, and names the entries it cannot read', () => {
    expect(parseTrustedProxies('').list).toBeNull();
    expect(parseTrustedProxies('10.0.0.0/8, ::1').bad).toEqual([]);
    expect(parseTrustedProxies('10.0.0.0/33, proxy.local, 1.2.3.4/8/1, ::1/129, 10.0.0.1').bad).toEqual([
      '10.0.0.0/33',
      'proxy.local',
      '1.2.3.4/8/1',
      '::1/129',
    ]);
  });
});
