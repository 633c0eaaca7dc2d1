// Every operation the UI sends must be valid against the control plane's emitted schema (schema/schema.graphql),
// so a schema change that would break a page fails here instead of in the browser.
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import schemaSource from '../../../../schema/schema.graphql?raw';
import * as auth from './auth';
import * as organizations from './organizations';
import * as teams from './teams';
import * as users from './users';
import * as virtualKeys from './virtual-keys';

const schema = buildSchema(schemaSource);
const modules = { auth, organizations, teams, users, virtualKeys };

const operations = Object.entries(modules).flatMap(([moduleName, exports]) =>
  Object.entries(exports)
    .filter(([, value]) => typeof value === 'object' && value !== null && 'document' in value)
    .map(([name, value]) => [`${moduleName}.${name}`, (value as { document: string }).document] as const),
);

describe('GraphQL operations', () => {
  it('finds the operations to check', () => {
    expect(operations.length).toBeGreaterThanOrEqual(12);
  });

  it.each(operations)('%s is valid against schema.graphql', (_name, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });
});
