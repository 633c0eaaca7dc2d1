// A minimal GraphQL-over-HTTP client for the quick-start scripts.
export async function graphql<T>(url: string, token: string, query: string, variables?: object): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new Error(`GraphQL ${e.extensions?.code ?? 'ERROR'}: ${e.message}`);
  }
  if (!body.data) throw new Error(`GraphQL: HTTP ${res.status} without data`);
  return body.data;
}
