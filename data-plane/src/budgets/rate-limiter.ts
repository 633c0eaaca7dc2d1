// Requests and tokens per minute per scope, shared among the live data planes: this one enforces its share,
// max(1, floor(limit / dataPlanes)), in a sliding window per (limit id, kind). Requests count at admission; tokens
// (input + output) when the request finishes, and a scope whose window already holds its share refuses.
import type { RequestContext } from '../pipeline/context.ts';
import { allow, type Decision, deny } from '../policy/decision.ts';
import type { LimitEntry } from '../snapshot/store.ts';
import { RateWindow } from './rate-window.ts';

interface Windows {
  readonly requests: RateWindow;
  readonly tokens: RateWindow;
}

export class RateLimiter {
  /** Data planes holding leases now, from the last lease answer (1 until one is known). */
  dataPlanes = 1;
  readonly #windows = new Map<string, Windows>();
  readonly #now: () => number;
  #sweptAt = 0;

  constructor(now: () => number = performance.now.bind(performance)) {
    this.#now = now;
  }

  /** This data plane's share of a per-minute limit. */
  share(limit: number): number {
    return Math.max(Math.floor(limit / this.dataPlanes), 1);
  }

  /**
   * Refuses the request when a scope's window is at its share of rpm, or holds its share of tpm already; otherwise
   * counts it in every scope's requests window. `ctx.limits` are the request's scopes.
   */
  acquire(ctx: RequestContext): Decision {
    const limits = ctx.limits;
    if (limits === null) return allow;
    const second = this.#second();
    let limited = false;
    for (const entry of limits) {
      if (entry.rpm === 0 && entry.tpm === 0) continue;
      limited = true;
      const w = this.#windowsOf(entry.id);
      if (entry.rpm !== 0) {
        const share = this.share(entry.rpm);
        if (w.requests.total(second) + 1 > share) {
          return this.#refuse(ctx, entry, 'requests', w.requests.secondsUntilAtMost(second, share - 1));
        }
      }
      if (entry.tpm !== 0) {
        const share = this.share(entry.tpm);
        if (w.tokens.total(second) >= share) {
          return this.#refuse(ctx, entry, 'tokens', w.tokens.secondsUntilAtMost(second, share - 1));
        }
      }
    }
    if (!limited) return allow;
    for (const entry of limits) if (entry.rpm !== 0) this.#windowsOf(entry.id).requests.add(second, 1);
    ctx.rateHeld = 1;
    return allow;
  }

  /** At meter: the request's real tokens join its scopes' token windows. */
  settle(ctx: RequestContext): void {
    if (ctx.rateHeld === 0) return;
    ctx.rateHeld = 0;
    const usage = ctx.usage;
    const limits = ctx.limits;
    if (usage === null || limits === null) return;
    const tokens = usage.inputTokens + usage.outputTokens;
    if (tokens === 0) return;
    const second = this.#second();
    for (const entry of limits) if (entry.tpm !== 0) this.#windowsOf(entry.id).tokens.add(second, tokens);
  }

  /**
   * The x-ratelimit-* headers of a limited request: the tightest scope's share and what is left of it, for requests
   * and for tokens (each only when some scope of the request has that kind of limit).
   */
  addHeaders(ctx: RequestContext, headers: Record<string, string>): void {
    const limits = ctx.limits;
    if (limits === null) return;
    const second = this.#second();
    let requestLimit = -1;
    let requestsLeft = Number.POSITIVE_INFINITY;
    let tokenLimit = -1;
    let tokensLeft = Number.POSITIVE_INFINITY;
    for (const entry of limits) {
      if (entry.rpm === 0 && entry.tpm === 0) continue;
      const w = this.#windows.get(entry.id);
      if (entry.rpm !== 0) {
        const share = this.share(entry.rpm);
        const left = Math.max(0, share - (w ? w.requests.total(second) : 0));
        if (left < requestsLeft) {
          requestsLeft = left;
          requestLimit = share;
        }
      }
      if (entry.tpm !== 0) {
        const share = this.share(entry.tpm);
        const left = Math.max(0, share - (w ? w.tokens.total(second) : 0));
        if (left < tokensLeft) {
          tokensLeft = left;
          tokenLimit = share;
        }
      }
    }
    if (requestLimit >= 0) {
      headers['x-ratelimit-limit-requests'] = String(requestLimit);
      headers['x-ratelimit-remaining-requests'] = String(requestsLeft);
    }
    if (tokenLimit >= 0) {
      headers['x-ratelimit-limit-tokens'] = String(tokenLimit);
      headers['x-ratelimit-remaining-tokens'] = String(tokensLeft);
    }
  }

  /** Drops the windows nothing was counted in for over a minute (background, at most once a minute). */
  sweep(): void {
    const second = this.#second();
    if (second - this.#sweptAt < 60) return;
    this.#sweptAt = second;
    for (const [id, w] of this.#windows) {
      if (second - w.requests.lastCountAt > 60 && second - w.tokens.lastCountAt > 60) this.#windows.delete(id);
    }
  }

  /** Windows in memory (tests). */
  get size(): number {
    return this.#windows.size;
  }

  #refuse(ctx: RequestContext, entry: LimitEntry, kind: 'requests' | 'tokens', retryAfter: number): Decision {
    const headers: Record<string, string> = { 'retry-after': String(retryAfter) };
    this.addHeaders(ctx, headers);
    const per = kind === 'requests' ? `${entry.rpm} requests` : `${entry.tpm} tokens`;
    return deny(
      'rate_limited',
      `The rate limit of ${per} per minute on ${entry.scopeKey} is reached; retry in ${retryAfter} s.`,
      null,
      headers,
    );
  }

  #windowsOf(id: string): Windows {
    let w = this.#windows.get(id);
    if (w === undefined) {
      w = { requests: new RateWindow(), tokens: new RateWindow() };
      this.#windows.set(id, w);
    }
    return w;
  }

  #second(): number {
    return Math.floor(this.#now() / 1000);
  }
}
