// Reads a request body with a size limit.
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {}

/** Usage batches (up to 5000 records) are the largest bodies; 16 MiB leaves ample room. */
export const maxBodyBytes = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
