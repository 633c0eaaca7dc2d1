import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FastResponse } from 'srvx/node';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallerRequest } from '../http/caller.ts';
import type { Pipeline } from '../pipeline/run.ts';
import { chatCompletionsEndpoint } from './chat-completions.ts';
import { proxyLane } from './proxy-lane.ts';

/** A pipeline stand-in that answers with what it read from the caller. */
function echoPipeline(fail = false): Pipeline {
  return {
    async proxy(caller: CallerRequest) {
      if (fail) throw new Error('boom');
      const body = await caller.body(1024);
      return new FastResponse(JSON.stringify({ auth: caller.get('authorization'), body: body.toString() }), {
        headers: { 'content-type': 'application/json' },
      });
    },
  } as unknown as Pipeline;
}

let close: (() => void) | null = null;
afterEach(() => close?.());

async function serve(pipeline: Pipeline, unhandled: unknown[]) {
  const lane = proxyLane(pipeline, [chatCompletionsEndpoint], (err) => {
    unhandled.push(err);
    return new FastResponse('{"error":{"message":"internal"}}', { status: 500 });
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!lane(req, res)) res.writeHead(404, { 'x-served-by': 'h3' }).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  close = () => server.close();
  const port = (server.address() as AddressInfo).port;
  return (method: string, path: string, body?: string) =>
    new Promise<{ status: number; text: string; servedBy: string | undefined }>((resolve, reject) => {
      const req = request({ port, method, path, headers: { authorization: 'Bearer k' } }, (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text, servedBy: res.headers['x-served-by'] as string | undefined }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
}

describe('proxyLane', () => {
  it('serves POST on a proxied route (a query string too) straight on node:http', async () => {
    const call = await serve(echoPipeline(), []);
    for (const path of ['/v1/chat/completions', '/v1/chat/completions?x=1']) {
      const res = await call('POST', path, '{"a":1}');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ auth: 'Bearer k', body: '{"a":1}' });
    }
  });

  it('leaves other methods and paths to the h3 app', async () => {
    const call = await serve(echoPipeline(), []);
    expect((await call('GET', '/v1/chat/completions')).servedBy).toBe('h3');
    expect((await call('POST', '/v1/chat/completions/')).servedBy).toBe('h3');
    expect((await call('POST', '/v1/models')).servedBy).toBe('h3');
  });

  it('answers an error nobody handled through the app’s handler', async () => {
    const unhandled: unknown[] = [];
    const call = await serve(echoPipeline(true), unhandled);
    const res = await call('POST', '/v1/chat/completions', '{}');
    expect(res.status).toBe(500);
    expect(unhandled).toHaveLength(1);
  });
});
