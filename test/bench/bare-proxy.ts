// The benchmark's reference: the least a proxy can do — node:http in, one undici pool out, bodies passed through.
// `node test/bench/bare-proxy.ts --port P --upstream http://127.0.0.1:9100 --api-key K`
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    upstream: { type: 'string' },
    'api-key': { type: 'string', default: '' },
  },
  strict: true,
});
if (!values.upstream) {
  process.stderr.write('usage: bare-proxy.ts --upstream URL [--port P] [--api-key K]\n');
  process.exit(2);
}

const upstream = new URL(values.upstream);
const pool = new Pool(upstream.origin, { connections: 512, pipelining: 1, keepAliveTimeout: 30_000 });
const authorization = `Bearer ${values['api-key']}`;

/** Request bodies are small JSON: read whole, so the upstream gets a content-length rather than chunked encoding. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Like any gateway it swaps the caller's credential for the provider's; nothing else is read or changed.
  const up = await pool.request({
    method: req.method as 'POST',
    path: req.url ?? '/',
    headers: { 'content-type': req.headers['content-type'] ?? 'application/json', authorization },
    body: await readBody(req),
  });
  const type = typeof up.headers['content-type'] === 'string' ? up.headers['content-type'] : 'application/json';
  if (type.startsWith('text/event-stream')) {
    res.writeHead(up.statusCode, { 'content-type': type });
    await pipeline(up.body, res);
    return;
  }
  const body = Buffer.from(await up.body.arrayBuffer());
  res.writeHead(up.statusCode, { 'content-type': type, 'content-length': body.length });
  res.end(body);
}

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  forward(req, res).catch(() => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"upstream failed","type":"api_error","param":null,"code":"provider_error"}}');
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(values.port), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}` })}\n`);
});

const stop = () => server.close(() => pool.close().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
