// Calls the GraphQL API with a bearer token as an integration would (plain fetch), reporting the first error code.
export interface FetchResult<T> {
  status: number;
  data: T | null;
  /** `extensions.code` of the first error, if any. */
  errorCode: string | undefined;
}

export async function fetchGraphql<T>(graphqlUrl: string, token: string, query: string): Promise<FetchResult<T>> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: T | null; errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, data: body.data ?? null, errorCode: body.errors?.[0]?.extensions?.code };
}
