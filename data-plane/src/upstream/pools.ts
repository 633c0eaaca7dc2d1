// The only code that opens connections to providers: one keep-alive undici Pool per origin.
import { Pool } from 'undici';
import { GatewayError } from '../errors.ts';
import type { UpstreamRequest } from '../providers/types.ts';
import { UpstreamCall } from './call.ts';
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
   * Sends the request and returns its call at once: `sent()` resolves once the answer's head arrived (any status),
   * or rejects with a GatewayError for network failures, or a ClientGoneError once `abort()` was called.
   */
  send(baseUrl: string, request: UpstreamRequest): UpstreamCall {
    let target: Target;
    try {
      target = this.#target(baseUrl);
    } catch (err) {
      throw new GatewayError('provider_unreachable', 'The provider address is invalid.', null, { cause: err });
    }
    const call = new UpstreamCall();
    try {
      target.pool.dispatch(
        { method: 'POST', path: target.basePath + request.path, headers: request.headers, body: request.body },
        call,
      );
    } catch (err) {
      throw upstreamFailure(err);
    }
    return call;
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
