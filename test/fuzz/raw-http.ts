// A raw HTTP/1.1 client over a TCP socket: sends any bytes in any header (fetch and node:http refuse many), one
// request per connection, and reads the whole answer, streams included.
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** Request target as written on the request line (path and query, `*`, or an absolute URL). */
  target: string;
  /** Sent in order after `host`; names and values are written as UTF-8 bytes, unchecked. */
  headers: [string, string][];
  body: Buffer;
  /** Send the body with `transfer-encoding: chunked` instead of `content-length`. */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
}

export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
}

function encodeRequest(port: number, req: RawRequest): Buffer {
  const lines = [`${req.method} ${req.target} HTTP/1.1`, `host: 127.0.0.1:${port}`, 'connection: close'];
  for (const [name, value] of req.headers) lines.push(`${name}: ${value}`);
  if (req.chunked) lines.push('transfer-encoding: chunked');
  else if (req.body.length > 0 || req.method === 'POST' || req.method === 'PUT') {
    lines.push(`content-length: ${req.body.length}`);
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  if (!req.chunked) return Buffer.concat([head, req.body]);
  const parts: Buffer[] = [head];
  // Chunks of a few odd sizes, so that a body split across chunks is exercised too.
  for (let at = 0, size = 7; at < req.body.length; at += size, size = size * 3 + 1) {
    const chunk = req.body.subarray(at, at + size);
    parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine, ...lines] = head.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match) throw new NoAnswerError(`not an HTTP status line: ${JSON.stringify(statusLine.slice(0, 200))}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { status: Number(match[1]), headers };
}

/** Decodes a chunked body; a body cut short (the server closed mid-stream) is an error. */
function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) throw new NoAnswerError('chunked body cut short (no chunk size line)');
    const size = Number.parseInt(data.subarray(at, eol).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size)) throw new NoAnswerError('malformed chunk size line');
    if (size === 0) return Buffer.concat(out);
    const start = eol + 2;
    if (start + size + 2 > data.length) throw new NoAnswerError('chunked body cut short (incomplete chunk)');
    out.push(data.subarray(start, start + size));
    at = start + size + 2;
  }
}

/** Splits off interim 1xx answers (e.g. 100 Continue) and decodes the final answer's body. */
function parseResponse(data: Buffer, method: string): RawResponse {
  let rest = data;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new NoAnswerError(`no complete answer head in ${data.length} bytes`);
    const { status, headers } = parseHead(rest.subarray(0, end).toString('latin1'));
    rest = rest.subarray(end + 4);
    if (status >= 100 && status < 200) continue;
    if (method === 'HEAD' || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
    if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
      return { status, headers, body: dechunk(rest) };
    }
    const declared = headers['content-length'];
    if (declared !== undefined && Number(declared) !== rest.length) {
      throw new NoAnswerError(`body of ${rest.length} bytes, content-length says ${declared}`);
    }
    return { status, headers, body: rest };
  }
}

/**
 * Sends one request on a fresh connection (`connection: close`) and resolves with the answer once the server
 * closes; rejects with NoAnswerError when nothing complete arrives within `timeoutMs`.
 */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    let settled = false;
    const settle = (why: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(chunks);
      try {
        // A reset after a complete answer (the server closed with request bytes unread) is still that answer.
        resolve(parseResponse(data, req.method));
      } catch (e) {
        reject(why ? new NoAnswerError(`${why.message} after ${data.length} bytes of answer`) : e);
      }
    };
    const timer = setTimeout(() => settle(new NoAnswerError(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => settle(null));
    socket.on('close', () => settle(null));
    socket.on('error', (err) => settle(err));
    socket.write(encodeRequest(port, req));
  });
}
