// The typed outcome every policy function returns: expected refusals are values, not exceptions.
import type { ErrorCode } from '@gw/schema';

export interface Denied {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
  readonly param: string | null;
}

export interface Allowed {
  readonly ok: true;
}

/** Allow (with what was decided, when T adds fields) or a typed refusal. `Decision` alone is a stage's verdict. */
export type Decision<T = object> = (Allowed & T) | Denied;

/** The one "allow" every check without a payload returns: no allocation per request. */
export const allow: Allowed = Object.freeze({ ok: true });

export function deny(code: ErrorCode, message: string, param: string | null = null): Denied {
  return { ok: false, code, message, param };
}
