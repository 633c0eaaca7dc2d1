// A tiny GraphQL-over-HTTP client for tests: returns `data`, throws GraphQLRequestError with every error's code.

export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [k: string]: unknown };
}

export class GraphQLRequestError extends Error {
  readonly errors: GraphQLErrorEntry[];
  readonly status: number;
  /** `extensions.code` of every error, in order (e.g. ['BAD_USER_INPUT']). */
  readonly codes: string[];

  constructor(status: number, errors: GraphQLErrorEntry[]) {
    const summary = errors
      .map((e) => {
        const field = e.extensions?.field ? ` field=${e.extensions.field}` : '';
        return `[${e.extensions?.code ?? 'NO_CODE'}${field}] ${e.message}`;
      })
      .join('; ');
    super(`GraphQL HTTP ${status}: ${summary}`);
    this.name = 'GraphQLRequestError';
    this.status = status;
    this.errors = errors;
    this.codes = errors.map((e) => e.extensions?.code ?? 'NO_CODE');
  }
}

export async function gql<T = Record<string, unknown>>(
  url: string,
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body: { data?: T | null; errors?: GraphQLErrorEntry[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new GraphQLRequestError(res.status, [{ message: `non-JSON answer: ${text.slice(0, 300)}` }]);
  }
  if (body.errors?.length) throw new GraphQLRequestError(res.status, body.errors);
  if (!body.data) throw new GraphQLRequestError(res.status, [{ message: 'answer without data or errors' }]);
  return body.data;
}

export type Gql = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** Binds a URL and token: `const admin = gqlClient(cp.graphqlUrl, cp.adminToken)`. */
export function gqlClient(url: string, token: string | undefined): Gql {
  return (query, variables) => gql(url, token, query, variables);
}
