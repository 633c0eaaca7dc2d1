// Reads a request body with a hard byte limit, checked on Content-Length and again while counting bytes.
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors.ts';

function tooLarge(limit: number): GatewayError {
  // The rest of the body is never read, so the connection cannot be reused.
  return new GatewayError('caller_body_too_large', `Request body is larger than ${limit} bytes.`, null, {
    headers: { connection: 'close' },
  });
}

/** Throws 413 when the declared Content-Length is over the limit, before a byte is read. */
export function refuseDeclaredLength(declared: string | null, limit: number): void {
  if (declared === null) return;
  const n = Number(declared);
  if (Number.isFinite(n) && n > limit) throw tooLarge(limit);
}

/** Straight from the IncomingMessage: avoids the web-stream bridge on the hot path. */
export function readNodeBody(req: IncomingMessage, limit: number): Promise<Buffer> {
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
export async function readWebBody(req: Request, limit: number): Promise<Buffer> {
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
