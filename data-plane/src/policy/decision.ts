// The typed outcome every policy function returns: expected refusals are values, not exceptions.
import type { ErrorCode } from '@gw/schema';

export interface Denied {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
  readonly param: string | null;
}

export type Decision<T> = ({ readonly ok: true } & T) | Denied;

export function deny(code: ErrorCode, message: string, param: string | null = null): Denied {
  return { ok: false, code, message, param };
}
