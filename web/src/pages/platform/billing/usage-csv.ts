// Fetches the billing CSV from the control plane's GET /export/usage.csv with the session token in the
// Authorization header (never in the URL, where logs and browser history would keep it), for download.ts to save.
// Pure of the app's globals (config, session): the caller passes the endpoint and the token.
import { ApiError, type ApiErrorCode, defaultMessage } from '../../../graphql/errors';

export interface UsageCsvRequest {
  orgId: string;
  /** YYYY-MM; or `from` and `to` (ISO instants, whole UTC hours). */
  period?: string | null;
  from?: string | null;
  to?: string | null;
}

/** The export's URL beside the GraphQL endpoint: `…/graphql` -> `…/export/usage.csv`. */
export function usageCsvUrl(graphqlUrl: string, req: UsageCsvRequest): string {
  const url = new URL(graphqlUrl);
  url.pathname = `${url.pathname.replace(/\/graphql\/?$/, '').replace(/\/$/, '')}/export/usage.csv`;
  url.search = '';
  url.hash = '';
  url.searchParams.set('orgId', req.orgId);
  if (req.period) url.searchParams.set('period', req.period);
  if (req.from) url.searchParams.set('from', req.from);
  if (req.to) url.searchParams.set('to', req.to);
  return url.toString();
}

const codes = new Set<string>(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT']);

/** The endpoint's JSON error `{"error":{"code","message","field"?}}` as the UI's ApiError. */
export async function csvError(res: Response): Promise<ApiError> {
  let code: ApiErrorCode = res.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR';
  let message: string | undefined;
  let field: string | undefined;
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown; field?: unknown } };
    if (typeof body.error?.code === 'string' && codes.has(body.error.code)) code = body.error.code as ApiErrorCode;
    if (typeof body.error?.message === 'string') message = body.error.message;
    if (typeof body.error?.field === 'string') field = body.error.field;
  } catch {
    // Not JSON (a proxy's error page): the status decides.
  }
  return new ApiError(code, message ?? defaultMessage(code), field, field);
}

export interface CsvTransport {
  graphqlUrl: string;
  token: string | null;
  fetch?: typeof fetch;
}

/** The CSV text; failures are ApiErrors (NETWORK_ERROR, or the endpoint's code and message). */
export async function fetchUsageCsv(req: UsageCsvRequest, transport: CsvTransport): Promise<string> {
  const headers: Record<string, string> = { accept: 'text/csv' };
  if (transport.token) headers.authorization = `Bearer ${transport.token}`;
  let res: Response;
  try {
    res = await (transport.fetch ?? fetch)(usageCsvUrl(transport.graphqlUrl, req), { headers, cache: 'no-store' });
  } catch {
    throw new ApiError('NETWORK_ERROR', defaultMessage('NETWORK_ERROR'));
  }
  if (!res.ok) throw await csvError(res);
  return res.text();
}
