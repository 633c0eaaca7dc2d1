// Reads a request body with a size limit, which depends on who sends it.
import type { IncomingMessage } from 'node:http';
import { bearerToken, sameSecret } from '../access/caller.ts';

export class BodyTooLargeError extends Error {}

/** Usage batches (up to 5000 records) are the largest bodies; 16 MiB leaves ample room. */
export const maxBodyBytes = 16 * 1024 * 1024;

/**
 * Everyone but a data plane: the largest admin request is a few kilobytes. A body is read whole, then parsed,
 * before anything else runs, and costs several times its size meanwhile; at 16 MiB, anonymous callers could push
 * the process past a gigabyte with a few dozen requests at once (and the heap stays that large for a long time).
 */
export const maxCallerBodyBytes = 1024 * 1024;

/** The limit for a request: the data-plane token is checked here already, without touching the database. */
export function bodyLimit(authorization: string | undefined, dataPlaneToken: string): number {
  const token = bearerToken(authorization);
  return token !== null && sameSecret(token, dataPlaneToken) ? maxBodyBytes : maxCallerBodyBytes;
}

export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`body exceeds ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
