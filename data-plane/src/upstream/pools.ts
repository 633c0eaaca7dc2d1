// The only code that opens connections to providers: one keep-alive undici Pool per origin.
import type { EventEmitter } from 'node:events';
import { type Dispatcher, Pool } from 'undici';
import { GatewayError } from '../errors.ts';
import type { UpstreamRequest } from '../providers/types.ts';
import { upstreamFailure } from './errors.ts';

export interface UpstreamOptions {
  /** Time to response headers, and the longest silence between body chunks. */
  timeoutMs: number;
  connectTimeoutMs: number;
}

interface Target {
  readonly pool: Pool;
  readonly basePath: string;
}

export type UpstreamResponse = Dispatcher.ResponseData;

export class Upstream {
  readonly #options: UpstreamOptions;
  readonly #pools = new Map<string, Pool>();
  /** baseUrl -> parsed target, so the request path does not parse URLs. */
  readonly #targets = new Map<string, Target>();

  constructor(options: UpstreamOptions) {
    this.#options = options;
  }

  #target(baseUrl: string): Target {
    let target = this.#targets.get(baseUrl);
    if (target) return target;
    const url = new URL(baseUrl);
    let pool = this.#pools.get(url.origin);
    if (!pool) {
      pool = new Pool(url.origin, {
        connections: null,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
        connectTimeout: this.#options.connectTimeoutMs,
      });
      this.#pools.set(url.origin, pool);
    }
    target = { pool, basePath: url.pathname.replace(/\/+$/, '') };
    this.#targets.set(baseUrl, target);
    return target;
  }

  /**
   * Sends the request; resolves once response headers arrived (any status). Throws a GatewayError
   * for network failures, or ClientGoneError when `signal` fired (the caller disconnected).
   */
  async send(
    baseUrl: string,
    request: UpstreamRequest,
    signal?: AbortSignal | EventEmitter,
  ): Promise<UpstreamResponse> {
    let target: Target;
    try {
      target = this.#target(baseUrl);
    } catch (err) {
      throw new GatewayError('provider_unreachable', 'The provider address is invalid.', null, { cause: err });
    }
    try {
      return await target.pool.request({
        method: 'POST',
        path: target.basePath + request.path,
        headers: request.headers,
        body: request.body,
        signal,
      });
    } catch (err) {
      throw upstreamFailure(err);
    }
  }

  /** Closes pools for origins the current snapshot no longer uses (in-flight requests finish first). */
  retainOnly(baseUrls: Iterable<string>): void {
    const keep = new Set<string>();
    for (const b of baseUrls) {
      try {
        keep.add(new URL(b).origin);
      } catch {
        // An invalid URL never got a pool.
      }
    }
    for (const [origin, pool] of this.#pools) {
      if (keep.has(origin)) continue;
      this.#pools.delete(origin);
      pool.close().catch(() => {});
    }
    const open = new Set(this.#pools.values());
    for (const [baseUrl, target] of this.#targets) if (!open.has(target.pool)) this.#targets.delete(baseUrl);
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    this.#targets.clear();
    await Promise.all(pools.map((p) => p.close().catch(() => p.destroy())));
  }
}

/** Reads a whole response body; network failures become gateway errors. */
export function readAll(body: UpstreamResponse['body'], limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    body.on('data', (chunk: Buffer) => {
      // Past the limit the rest is drained and dropped (error bodies only need their start).
      if (kept >= limit) return;
      const part = kept + chunk.length > limit ? chunk.subarray(0, limit - kept) : chunk;
      chunks.push(part);
      kept += part.length;
    });
    body.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, kept)));
    body.once('error', (err) => reject(upstreamFailure(err)));
  });
}
