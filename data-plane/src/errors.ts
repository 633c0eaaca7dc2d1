// The one error path: every failure the data plane reports becomes this body and these headers.
import { type ErrorBody, type ErrorCode, errorCodes } from '@gw/schema';
import { FastResponse } from 'srvx/node';

/** What an error response is built from: a GatewayError, or a policy refusal (a Denied) as it is. */
export interface Refusal {
  readonly code: ErrorCode;
  readonly message: string;
  readonly param: string | null;
  /** Extra response headers. */
  readonly headers?: Record<string, string> | undefined;
}

/** An expected failure with a code from the contract's closed list. */
export class GatewayError extends Error implements Refusal {
  readonly code: ErrorCode;
  readonly param: string | null;
  /** Extra response headers (e.g. `allow` on 405, `connection: close` on 413). */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    param: string | null = null,
    options?: { cause?: unknown; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.param = param;
    this.headers = options?.headers;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }
}

/** Never shows internal details: the real error is logged by whoever calls this. */
export function internalError(cause?: unknown): GatewayError {
  return new GatewayError('gateway_internal_error', 'The gateway hit an internal error.', null, { cause });
}

export function toGatewayError(err: unknown): GatewayError {
  return err instanceof GatewayError ? err : internalError(err);
}

export function errorBody(err: Refusal): ErrorBody {
  const spec = errorCodes[err.code];
  return { error: { message: err.message, type: spec.type, param: err.param, code: err.code } };
}

/** The error as one SSE event, for streams that fail after their headers were sent. */
export function errorEvent(err: Refusal): string {
  return `data: ${JSON.stringify(errorBody(err))}\n\n`;
}

/** `extra`: headers beside the refusal's own (the request's budget and rate-limit figures). */
export function errorResponse(err: Refusal, requestId?: string, extra?: Record<string, string>): Response {
  const spec = errorCodes[err.code];
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-should-retry': spec.retry ? 'true' : 'false',
  };
  if (requestId) headers['x-request-id'] = requestId;
  if (extra) Object.assign(headers, extra);
  if (err.headers) Object.assign(headers, err.headers);
  return new FastResponse(JSON.stringify(errorBody(err)), { status: spec.status, headers });
}
