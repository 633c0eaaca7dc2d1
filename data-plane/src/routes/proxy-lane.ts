// The proxied routes served on node:http directly, in front of h3: POST /v1/chat/completions runs the same pipeline
// without h3's web Request/Headers/URL wrappers and router (docs/performance.md: about a tenth of a request's CPU).
// Everything else, and any other method on these paths, still goes to the h3 app.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { sendNodeResponse } from 'srvx/node';
import { NodeCaller } from '../http/caller.ts';
import type { ProxyEndpoint } from '../pipeline/endpoint.ts';
import type { Pipeline } from '../pipeline/run.ts';
import { StreamRelay } from '../upstream/relay.ts';

/** Takes the request (true) or leaves it to the h3 app (false). */
export type NodeLane = (req: IncomingMessage, res: ServerResponse) => boolean;

/** What the app answers for an error nobody handled (logged, counted, a plain 500 in the gateway's shape). */
export type UnhandledError = (err: unknown, method: string, path: string) => Response;

/** What srvx's FastResponse hands its own node:http writer: status, flat header list, and the body as given. */
interface NodeParts {
  status: number;
  headers: string[];
  body: unknown;
}

/**
 * Writes the pipeline's answer: head and body in one `end` (one writev), a relayed stream straight into the socket.
 * Anything not built by the gateway's own response helpers goes through srvx's general writer.
 */
function send(res: ServerResponse, response: Response): void {
  const parts = (response as { _toNodeResponse?: () => NodeParts })._toNodeResponse?.();
  if (parts === undefined) {
    sendNodeResponse(res, response).catch(() => {
      // The socket failed while writing: nothing more can reach this caller.
      if (!res.destroyed) res.destroy();
    });
    return;
  }
  const { body } = parts;
  res.writeHead(parts.status, parts.headers);
  if (body instanceof StreamRelay) body.sendTo(res);
  else if (body instanceof ReadableStream) Readable.fromWeb(body as never).pipe(res);
  else if (body instanceof Readable) body.pipe(res);
  else res.end(body as string | Uint8Array | undefined);
}

export function proxyLane(pipeline: Pipeline, endpoints: ProxyEndpoint[], unhandled: UnhandledError): NodeLane {
  const byPath = new Map(endpoints.map((endpoint) => [endpoint.route, endpoint]));
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const endpoint = byPath.get(query === -1 ? url : url.slice(0, query));
    if (endpoint === undefined) return false;
    pipeline.proxy(new NodeCaller(req, res), endpoint).then(
      (response) => send(res, response),
      (err: unknown) => send(res, unhandled(err, 'POST', endpoint.route)),
    );
    return true;
  };
}
