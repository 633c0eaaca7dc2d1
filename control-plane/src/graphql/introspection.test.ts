// Schema introspection follows GRAPHQL_INTROSPECTION: on by default, refused (before anything runs) when off, over
// HTTP and over graphql-ws alike.
import { describe, expect, it } from 'vitest';
import { useApiSuite } from '../test-support/suite.ts';

const probe = '{ __schema { queryType { name } } }';

describe('introspection on (the default)', () => {
  const t = useApiSuite();
  it.each(['gql', 'wsGql'] as const)('answers __schema (%s)', async (send) => {
    const r = await t.app[send]<{ __schema: { queryType: { name: string } } }>(probe);
    expect(r.data?.__schema.queryType.name).toBe('Query');
  });
});

describe('introspection off', () => {
  const t = useApiSuite({ introspection: false });
  it.each(['gql', 'wsGql'] as const)(
    'refuses __schema and __type with a validation error, and still answers ordinary queries (%s)',
    async (send) => {
      for (const query of [probe, '{ __type(name: "Query") { name } }']) {
        const r = await t.app[send](query);
        expect(r.data).toBeUndefined();
        expect(r.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      }
      expect((await t.app[send]('{ configState { version } }')).errors).toBeUndefined();
    },
  );
});
