// The typed outcome every policy function returns: expected refusals are values, not exceptions.
import type { ErrorCode } from '@gw/schema';

export interface Denied {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
  readonly param: string | null;
  /** Extra response headers of the refusal (retry-after, rate-limit figures); absent on most. */
  readonly headers?: Record<string, string>;
}

export interface Allowed {
  readonly ok: true;
}

/** Allow (with what was decided, when T adds fields) or a typed refusal. `Decision` alone is a stage's verdict. */
export type Decision<T = object> = (Allowed & T) | Denied;

/**
 * A verdict that needs one wait (the budget stage asking the control plane for a lease): the only decision that is
 * not synchronous, and only returned to the few requests that must wait, so the others allocate no promise.
 */
export interface Pending {
  readonly ok: 'pending';
  readonly decision: Promise<Decision>;
}

/** The one "allow" every check without a payload returns: no allocation per request. */
export const allow: Allowed = Object.freeze({ ok: true });

export function deny(
  code: ErrorCode,
  message: string,
  param: string | null = null,
  headers?: Record<string, string>,
): Denied {
  return headers === undefined ? { ok: false, code, message, param } : { ok: false, code, message, param, headers };
}
