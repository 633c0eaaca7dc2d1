// GET /export/usage.csv?orgId=…[&period=YYYY-MM | &from=…&to=…]: the billing export as a CSV download, behind the
// same bearer tokens and scope rules as GraphQL; failures are JSON {"error":{"code","message","field"?}}.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { authorize } from '../access/authorize.ts';
import { createContext, type Deps } from '../context.ts';
import { AppError, type AppErrorCode, badInput, serviceUnavailable } from '../errors.ts';
import { DateTimeScalar } from '../graphql/scalars.ts';
import { exportUsage } from '../modules/billing/billing-export.service.ts';
import { clientAddress } from './client-address.ts';

export const usageCsvPath = '/export/usage.csv';

const statusOf: Record<AppErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
  PROTOCOL_MISMATCH: 400,
};

const knownParams = new Set(['orgId', 'period', 'from', 'to']);

function sendError(res: ServerResponse, status: number, code: string, message: string, field?: string): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  if (status === 405) headers.allow = 'GET, HEAD';
  res.writeHead(status, headers);
  res.end(JSON.stringify({ error: field ? { code, message, field } : { code, message } }));
}

function dateParam(params: URLSearchParams, name: string): Date | null {
  const value = params.get(name);
  if (value === null) return null;
  try {
    return DateTimeScalar.parseValue(value) as Date;
  } catch {
    throw badInput(name, `${name} must be an ISO 8601 date-time from year 0001 to 9999, e.g. 2026-11-01T00:00:00Z`);
  }
}

function parse(url: URL): { orgId: string; period: string | null; from: Date | null; to: Date | null } {
  for (const name of url.searchParams.keys()) {
    if (!knownParams.has(name)) throw badInput(name, `Unknown parameter ${name}; use orgId, period, from and to`);
    if (url.searchParams.getAll(name).length > 1) throw badInput(name, `${name} is given more than once`);
  }
  const orgId = url.searchParams.get('orgId');
  if (!orgId) throw badInput('orgId', 'orgId is required');
  return {
    orgId,
    period: url.searchParams.get('period'),
    from: dateParam(url.searchParams, 'from'),
    to: dateParam(url.searchParams, 'to'),
  };
}

export async function handleUsageCsv(req: IncomingMessage, res: ServerResponse, deps: Deps): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET');
  }
  try {
    const ctx = await createContext(req.headers.authorization, deps, clientAddress(req, deps.config.trustedProxies));
    // Authentication first: an anonymous caller learns nothing, not even which parameters are wrong.
    if (ctx.caller.kind === 'anonymous') {
      const missing = ctx.caller.reason === 'missing';
      return sendError(res, 401, 'UNAUTHENTICATED', missing ? 'Authentication required' : 'Invalid or expired token');
    }
    const request = parse(new URL(req.url ?? '/', 'http://localhost'));
    // The same table entry as the GraphQL query billingExport.
    await authorize(ctx, 'Query.billingExport', { orgId: request.orgId });
    const result = await exportUsage(ctx, request);
    const body = Buffer.from(result.csv, 'utf8');
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="${result.filename}"`,
      'content-length': String(body.length),
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    if (err instanceof AppError) return sendError(res, statusOf[err.code], err.code, err.message, err.field);
    if (deps.database.failed(err)) {
      const unavailable = serviceUnavailable();
      return sendError(res, 503, unavailable.code, unavailable.message);
    }
    deps.logger.error({ err }, 'usage CSV export failed');
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  }
}
