// The one error type the UI handles: GraphQL error codes from the API, plus network and protocol failures.

/** Codes the control plane puts in `extensions.code`, plus two the client adds for transport failures. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'NETWORK_ERROR'
  | 'BAD_RESPONSE';

const knownCodes = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_MANY_REQUESTS',
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_VALIDATION_FAILED',
]);

/** One GraphQL error as it arrives on the wire. */
export interface WireError {
  message?: unknown;
  extensions?: { code?: unknown; field?: unknown; retryAfterSeconds?: unknown };
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** Input field the server blamed (e.g. `slug`), without the `input.` prefix or a list index after it. */
  readonly field: string | undefined;
  /** The server's whole `extensions.field` (e.g. `input.deployments.1.weight`), for forms with list rows. */
  readonly path: string | undefined;
  /** With TOO_MANY_REQUESTS: how long the server asks the caller to wait. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ApiErrorCode, message: string, field?: string, path?: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.field = field;
    this.path = path;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static fromWire(error: WireError): ApiError {
    const rawCode = error.extensions?.code;
    const code: ApiErrorCode =
      typeof rawCode === 'string' && knownCodes.has(rawCode) ? (rawCode as ApiErrorCode) : 'INTERNAL_SERVER_ERROR';
    const rawField = error.extensions?.field;
    const field = typeof rawField === 'string' ? formField(rawField) : undefined;
    const message = typeof error.message === 'string' && error.message !== '' ? error.message : defaultMessage(code);
    const retry = error.extensions?.retryAfterSeconds;
    return new ApiError(
      code,
      message,
      field,
      typeof rawField === 'string' && rawField !== '' ? rawField : undefined,
      typeof retry === 'number' && Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
}

/** `input.slug` -> `slug`, `input.allowedModels.2` -> `allowedModels`, `id` -> `id`: the name a form field has. */
function formField(path: string): string | undefined {
  const segments = path.split('.').filter((s) => s !== '');
  if (segments[0] === 'input') segments.shift();
  return segments[0];
}

export function defaultMessage(code: ApiErrorCode): string {
  switch (code) {
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Please sign in again.';
    case 'FORBIDDEN':
      return 'You do not have permission to do this.';
    case 'NOT_FOUND':
      return 'This item does not exist or was deleted.';
    case 'TOO_MANY_REQUESTS':
      return 'Too many attempts. Wait a moment and try again.';
    case 'NETWORK_ERROR':
      return 'Cannot reach the control plane. Check your connection and try again.';
    case 'BAD_RESPONSE':
      return 'The control plane sent an unexpected response.';
    default:
      return 'Something went wrong on the server. Please try again.';
  }
}

/** Turns anything thrown into an ApiError so callers handle exactly one shape. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('BAD_RESPONSE', defaultMessage('BAD_RESPONSE'));
}
