// One webhook attempt over the network: a POST with a hard time limit, no redirects followed, the response body
// read and dropped (never stored: it could carry what an internal service answered), and, unless internal targets
// are allowed, every address a name resolves to checked before connecting (no DNS rebinding onto the internal net).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isInternalAddress, literalAddress } from './webhook-url.ts';

export interface PostOptions {
  timeoutMs: number;
  allowInternal: boolean;
  signal?: AbortSignal;
}

/** The outcome: an HTTP status, or an error message naming what failed (never a header or the body). */
export type PostOutcome = { status: number; error: null } | { status: null; error: string };

class InternalTarget extends Error {}

/** dns.lookup, minus internal addresses; none left is an error. Handles both the `all` and the single form. */
const publicLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 4);
    const allowed = addresses.filter((a) => !isInternalAddress(a.address));
    if (!allowed.length) {
      return callback(new InternalTarget(`${hostname} resolves to an internal address`), '', 4);
    }
    if ((options as { all?: boolean }).all)
      return (callback as never as (e: null, a: LookupAddress[]) => void)(null, allowed);
    callback(null, allowed[0].address, allowed[0].family);
  });
};

export function postWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  opts: PostOptions,
): Promise<PostOutcome> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve({ status: null, error: 'invalid url' });
  }
  const address = literalAddress(url);
  if (!opts.allowInternal && address && isInternalAddress(address)) {
    return Promise.resolve({ status: null, error: 'url points at an internal address' });
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const done = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'llm-gateway-webhooks/1',
          ...headers,
        },
        ...(opts.allowInternal ? {} : { lookup: publicLookup }),
      },
      (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode ?? 0, error: null }));
        res.on('error', () => done({ status: res.statusCode ?? 0, error: null }));
      },
    );
    const timer = setTimeout(() => {
      done({ status: null, error: `no response within ${opts.timeoutMs} ms` });
      req.destroy();
    }, opts.timeoutMs);
    const onAbort = () => {
      done({ status: null, error: 'aborted: the control plane is shutting down' });
      req.destroy();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const reason = err instanceof InternalTarget ? err.message : (err.code ?? err.message);
      done({ status: null, error: `request failed: ${reason}` });
    });
    req.end(body);
  });
}
