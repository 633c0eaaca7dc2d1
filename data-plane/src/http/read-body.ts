// Reads a request body with a hard byte limit, checked on Content-Length and again while counting bytes.
import type { IncomingMessage } from 'node:http';
import type { H3Event } from 'h3';
import { GatewayError } from '../errors.ts';

function tooLarge(limit: number): GatewayError {
  // The rest of the body is never read, so the connection cannot be reused.
  return new GatewayError('caller_body_too_large', `Request body is larger than ${limit} bytes.`, null, {
    headers: { connection: 'close' },
  });
}

export async function readBody(event: H3Event, limit: number): Promise<Buffer> {
  const declared = event.req.headers.get('content-length');
  if (declared !== null) {
    const n = Number(declared);
    if (Number.isFinite(n) && n > limit) throw tooLarge(limit);
  }
  const nodeReq = event.runtime?.node?.req as IncomingMessage | undefined;
  return nodeReq ? readNode(nodeReq, limit) : readWeb(event.req, limit);
}

/** Straight from the IncomingMessage: avoids the web-stream bridge on the hot path. */
function readNode(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(new GatewayError('caller_invalid_request', 'The request body could not be read.', null, { cause: err }));
    };
    const onClose = () => {
      if (!req.complete) onError(new Error('client closed the connection while sending the body'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/** For in-process use (app.fetch in tests, other runtimes). */
async function readWeb(req: Request, limit: number): Promise<Buffer> {
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
