// CORS for the web UI served from another origin: only configured origins, credentials never needed (bearer tokens).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Sets CORS headers when the request's origin is allowed; returns true when it answered a preflight. */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (origin && allowed.length) {
    res.setHeader('vary', 'Origin');
    if (allowed.includes('*') || allowed.includes(origin)) {
      res.setHeader('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
      res.setHeader('access-control-allow-headers', 'authorization, content-type, apollo-require-preflight');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-max-age', '600');
    }
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return true;
  }
  return false;
}
