// The CSV export's URL beside the GraphQL endpoint, and its JSON errors as ApiErrors.
import { describe, expect, it } from 'vitest';
import { csvError, fetchUsageCsv, usageCsvUrl } from './usage-csv';

describe('usage CSV', () => {
  it('sits beside the GraphQL endpoint, with the parameters and nothing else', () => {
    expect(usageCsvUrl('http://127.0.0.1:4000/graphql', { orgId: 'o1', period: '2026-11' })).toBe(
      'http://127.0.0.1:4000/export/usage.csv?orgId=o1&period=2026-11',
    );
    expect(
      usageCsvUrl('https://cp.example.com/api/graphql?x=1', {
        orgId: 'o1',
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-12-01T00:00:00.000Z',
      }),
    ).toBe(
      'https://cp.example.com/api/export/usage.csv?orgId=o1&from=2026-11-01T00%3A00%3A00.000Z&to=2026-12-01T00%3A00%3A00.000Z',
    );
  });

  it('reads the endpoint errors', async () => {
    const json = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const bad = await csvError(
      json(400, { error: { code: 'BAD_USER_INPUT', message: 'period must be…', field: 'period' } }),
    );
    expect([bad.code, bad.message, bad.field]).toEqual(['BAD_USER_INPUT', 'period must be…', 'period']);
    const denied = await csvError(json(403, { error: { code: 'FORBIDDEN', message: 'outside your scope' } }));
    expect(denied.code).toBe('FORBIDDEN');
    const html = await csvError(new Response('<html>bad gateway</html>', { status: 502 }));
    expect(html.code).toBe('INTERNAL_SERVER_ERROR');
    const expired = await csvError(new Response('', { status: 401 }));
    expect(expired.code).toBe('UNAUTHENTICATED');
  });

  it('sends the token in the Authorization header, never in the URL', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const fake = (async (url: string, init?: RequestInit) => {
      seen.push({ url, init });
      return new Response('record_type,org_id\r\ntotal,o1\r\n', { status: 200 });
    }) as typeof fetch;
    const text = await fetchUsageCsv(
      { orgId: 'o1', period: '2026-11' },
      { graphqlUrl: 'http://cp/graphql', token: 'gws_secret', fetch: fake },
    );
    expect(text).toBe('record_type,org_id\r\ntotal,o1\r\n');
    expect(seen[0]?.url).toBe('http://cp/export/usage.csv?orgId=o1&period=2026-11');
    expect(seen[0]?.url).not.toContain('gws_secret');
    const headers = seen[0]?.init?.headers as Record<string, string> | undefined;
    expect(headers?.authorization).toBe('Bearer gws_secret');
  });

  it('turns refusals and network failures into ApiErrors', async () => {
    const refuse = (async () =>
      new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No organization with this id' } }), {
        status: 404,
      })) as unknown as typeof fetch;
    await expect(
      fetchUsageCsv({ orgId: 'x' }, { graphqlUrl: 'http://cp/graphql', token: 't', fetch: refuse }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No organization with this id',
    });
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    await expect(
      fetchUsageCsv({ orgId: 'x' }, { graphqlUrl: 'http://cp/graphql', token: 't', fetch: down }),
    ).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
    });
  });
});
