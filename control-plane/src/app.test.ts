// The HTTP surface: liveness, readiness, CORS, GET queries, malformed requests, unknown errors behind INTERNAL_SERVER_ERROR.
import { describe, expect, it } from 'vitest';
import { useApiSuite } from './test-support/suite.ts';
import { adminToken, dataPlaneToken } from './test-support/test-app.ts';

const t = useApiSuite();

describe('HTTP server', () => {
  it('answers /healthz (live) and /readyz (the database answers)', async () => {
    const res = await fetch(`${t.app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect((await fetch(`${t.app.url}/nope`)).status).toBe(404);
  });

  it('allows configured origins only', async () => {
    const preflight = await fetch(`${t.app.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'http://ui.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://ui.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await fetch(`${t.app.url}/healthz`, { headers: { origin: 'http://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves queries over GET', async () => {
    const res = await fetch(`${t.app.url}/graphql?query=${encodeURIComponent('{ organizations { nodes { id } } }')}`, {
      headers: { authorization: `Bearer ${adminToken}`, 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { organizations: { nodes: [] } } });
  });

  it('rejects malformed requests with request error codes', async () => {
    const badJson = await fetch(`${t.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(badJson.status).toBe(400);
    const unknownField = await t.app.gql('{ nope }');
    expect(unknownField.errors?.[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    const badVariable = await t.app.gql('query($id: ID!) { organization(id: $id) { id } }', {});
    expect(badVariable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badDate = await t.app.gql('query($f: DateTime) { usageByOrg(from: $f) { nodes { orgId } } }', {
      f: 'yesterday',
    });
    expect(badDate.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['an anonymous caller', null, 413],
    ['an admin', adminToken, 413],
    ['a data plane (usage batches are large)', dataPlaneToken, 200],
  ])('reads at most 1 MiB from %s', async (_who, token, status) => {
    // Valid JSON a little over 1 MiB: only its size can refuse it.
    const body = JSON.stringify({ query: '{ me { email } }', variables: { pad: 'x'.repeat(1024 * 1024) } });
    const res = await fetch(`${t.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
    expect(res.status).toBe(status);
    if (status === 413) {
      expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    }
  });

  it('turns an unexpected failure into a generic INTERNAL_SERVER_ERROR and logs the real one', async () => {
    await t.db.query('alter table models rename to models_moved');
    try {
      const r = await t.app.gql('{ models { nodes { id } } }');
      expect(r.errors).toEqual([
        {
          message: 'Internal server error',
          locations: [{ line: 1, column: 3 }],
          path: ['models'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(JSON.stringify(r)).not.toMatch(/models_moved|relation|stack|at /);
      const logged = t.app.errorLogs();
      expect(logged).toHaveLength(1);
      expect(JSON.stringify(logged[0])).toContain('does not exist');
      t.expectErrorLogs(1);
    } finally {
      await t.db.query('alter table models_moved rename to models');
    }
  });
});
