// Turns network failures talking to a provider into gateway errors (timeout, unreachable, failed).
import { GatewayError } from '../errors.ts';

/** The caller went away; nothing can be sent back, but usage is still recorded. */
export class ClientGoneError extends Error {
  constructor(cause?: unknown) {
    super('client disconnected', { cause });
    this.name = 'ClientGoneError';
  }
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function errorCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; errors?: unknown[] };
  if (typeof e.code === 'string') return e.code;
  // Happy-eyeballs connects fail with an AggregateError of the per-address errors.
  const first = e.errors?.[0] as { code?: unknown } | undefined;
  return typeof first?.code === 'string' ? first.code : undefined;
}

export function isAbort(err: unknown): boolean {
  const code = errorCodeOf(err);
  return code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR' || (err as Error | null)?.name === 'AbortError';
}

/** Classifies an error thrown by undici while sending a request or reading its answer. */
export function upstreamFailure(err: unknown): GatewayError | ClientGoneError {
  if (err instanceof GatewayError || err instanceof ClientGoneError) return err;
  if (isAbort(err)) return new ClientGoneError(err);
  const code = errorCodeOf(err);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new GatewayError('provider_timeout', 'The provider did not answer in time.', null, { cause: err });
  }
  if (code && unreachableCodes.has(code)) {
    return new GatewayError('provider_unreachable', 'The provider could not be reached.', null, { cause: err });
  }
  return new GatewayError('provider_error', 'The connection to the provider failed.', null, { cause: err });
}
