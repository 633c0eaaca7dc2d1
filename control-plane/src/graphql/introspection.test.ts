// Schema introspection follows GRAPHQL_INTROSPECTION: on by default, refused (before anything runs) when off.
import { describe, expect, it } from 'vitest';
import { useApiSuite } from '../test-support/suite.ts';

const probe = '{ __schema { queryType { name } } }';

describe('introspection on (the default)', () => {
  const t = useApiSuite();
  it('answers __schema', async () => {
    const r = await t.app.gql<{ __schema: { queryType: { name: string } } }>(probe);
    expect(r.data?.__schema.queryType.name).toBe('Query');
  });
});

describe('introspection off', () => {
  const t = useApiSuite({ introspection: false });
  it('refuses __schema with a validation error, and still answers ordinary queries', async () => {
    const r = await t.app.gql(probe);
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await t.app.gql('{ configState { version } }')).errors).toBeUndefined();
  });
});
