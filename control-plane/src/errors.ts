// Typed application errors and the one place that turns any thrown value into what a client may see.
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { DatabaseStatus } from './db/database-status.ts';

export type AppErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE'
  | 'PROTOCOL_MISMATCH';

/** An expected failure: its message and code are safe to show to the caller. */
export class AppError extends GraphQLError {
  readonly code: AppErrorCode;
  /** Input path the caller should fix, e.g. `input.baseUrl`. */
  readonly field: string | undefined;

  constructor(code: AppErrorCode, message: string, field?: string, extra?: Record<string, unknown>) {
    super(message, { extensions: { code, ...(field ? { field } : {}), ...extra } });
    this.name = 'AppError';
    this.code = code;
    this.field = field;
  }
}

export const unauthenticated = (message = 'Authentication required') => new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Not allowed for this token') => new AppError('FORBIDDEN', message);
export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', message, field);
export const notFound = (field: string | undefined, message: string) => new AppError('NOT_FOUND', message, field);
export const conflict = (field: string | undefined, message: string) => new AppError('CONFLICT', message, field);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError('TOO_MANY_REQUESTS', message, undefined, { retryAfterSeconds });
/** The database cannot be reached; `http` sets the status where the whole request fails (Apollo drops it after). */
export const serviceUnavailable = () =>
  new AppError('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; try again shortly', undefined, {
    http: { status: 503 },
  });

/** Codes GraphQL itself produces for malformed requests; their messages describe the request, not the server. */
const requestErrorCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Query limit refusals (graphql/limits.ts): they keep their measured value and the limit. */
const limitCodes = new Set(['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY', 'QUERY_TOO_MANY_ALIASES']);

const internalMessage = 'Internal server error';

/**
 * Builds the error formatter shared by HTTP (Apollo `formatError`) and WebSocket (graphql-ws) results.
 * AppErrors pass through; request errors keep their message; a database that cannot be reached is
 * SERVICE_UNAVAILABLE (counted toward the outage `database` logs once); anything else is logged and replaced by a
 * generic INTERNAL_SERVER_ERROR, so no stack trace, SQL or secret ever reaches a client.
 */
export function createErrorFormatter(logger: Logger, database: DatabaseStatus) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
    if (original instanceof AppError) {
      // `http` is the status an operation guard refusal sets for Apollo (graphql/operation-guard.ts), not for clients.
      const { http: _http, ...extensions } = original.extensions;
      return { ...base, message: original.message, extensions };
    }
    if (database.failed(original)) {
      const unavailable = serviceUnavailable();
      return { ...base, message: unavailable.message, extensions: { code: unavailable.code } };
    }
    const code = formatted.extensions?.code;
    // Errors without a path come from parsing, validation or variable coercion: they describe the request.
    // (Apollo's "Context creation failed" has no path either, but is coded INTERNAL_SERVER_ERROR.)
    if (formatted.path === undefined && original instanceof GraphQLError) {
      if (typeof code === 'string' && limitCodes.has(code)) {
        // The limit and the measured value help the caller shrink the request.
        const { http: _http, ...extensions } = formatted.extensions ?? {};
        return { ...base, extensions };
      }
      if (typeof code === 'string' && requestErrorCodes.has(code)) return { ...base, extensions: { code } };
      if (code === undefined) return { ...base, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving a request');
    return { ...base, message: internalMessage, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
