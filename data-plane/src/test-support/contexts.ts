// Request contexts for pipeline tests: what a caller presented, without an HTTP server.
import { RequestContext } from '../pipeline/context.ts';

export interface Caller {
  /** The virtual key's secret (null = none sent). */
  secret: string | null;
  /** x-gateway-module (null = not sent). */
  module?: string | null;
  /** The model named in the body. */
  model?: string;
}

let seq = 0;

export function contextFor(caller: Caller): RequestContext {
  const ctx = new RequestContext(`00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`);
  ctx.apiKey = caller.secret;
  ctx.moduleHeader = caller.module ?? null;
  if (caller.model !== undefined) ctx.model = caller.model;
  return ctx;
}
