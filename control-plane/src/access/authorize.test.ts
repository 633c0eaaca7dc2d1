// The decisions of the operation table, without a server: each kind of caller against each kind of scope, and the
// table's coverage of the schema (root fields and every field resolver).
import { buildSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import type { Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { gatewaySchema } from '../schema.ts';
import { authorize } from './authorize.ts';
import type { Caller } from './caller.ts';
import { guardSchema, tableGaps } from './guard-schema.ts';
import { operations } from './operations.ts';
import type { Role } from './roles.ts';

const orgA = '00000000-0000-4000-8000-00000000000a';
const orgB = '00000000-0000-4000-8000-00000000000b';

const admin = (role: Role, orgId: string | null, kind: 'admin_user' | 'api_token' = 'admin_user'): Caller => ({
  kind: 'admin',
  role,
  orgId,
  principal: { kind, id: null, label: 'x' },
  sessionHash: null,
  holderId: null,
  expiresAt: null,
});

const callers: Record<string, Caller> = {
  anonymous: { kind: 'anonymous', reason: 'missing' },
  badToken: { kind: 'anonymous', reason: 'invalid' },
  dataPlane: { kind: 'data-plane' },
  platform: admin('platform_admin', null),
  orgAdmin: admin('org_admin', orgA),
  orgViewer: admin('org_viewer', orgA),
  orgAdminToken: admin('org_admin', orgA, 'api_token'),
};

/** What authorize answers: 'run', 'null', or the refusal as `CODE: message`. */
function outcome(who: string, coordinate: string, args: Record<string, unknown> = {}, root?: unknown): string {
  const ctx = { caller: callers[who] } as Context;
  try {
    const verdict = authorize(ctx, coordinate, args, root);
    if (verdict instanceof Promise) throw new Error('unexpected lookup');
    return verdict;
  } catch (err) {
    if (err instanceof AppError) return `${err.code}: ${err.message}`;
    throw err;
  }
}

const unauthenticated = 'UNAUTHENTICATED: Authentication required';
const dpRefused = 'FORBIDDEN: The data-plane token cannot use this field';
const onlyPlatform = 'FORBIDDEN: Only platform admins may do this';
const outside = 'FORBIDDEN: This organization is outside your scope';
const readOnly = 'FORBIDDEN: Your role may only read this organization';
const noGrant = 'FORBIDDEN: You may not grant this role';

describe('authorize', () => {
  it.each([
    // who, operation, arguments, outcome
    ['anonymous', 'Query.teams', { orgId: orgA }, unauthenticated],
    ['badToken', 'Query.teams', { orgId: orgA }, 'UNAUTHENTICATED: Invalid or expired token'],
    ['dataPlane', 'Query.teams', { orgId: orgA }, dpRefused],
    ['platform', 'Query.teams', { orgId: orgB }, 'run'],
    ['orgViewer', 'Query.teams', { orgId: orgA }, 'run'],
    ['orgViewer', 'Query.teams', { orgId: orgB }, outside],
    ['orgViewer', 'Query.teams', {}, 'run'],
    ['platform', 'Query.teams', { orgId: 'not-an-id' }, 'NOT_FOUND: No organization with this id'],
    ['orgAdmin', 'Mutation.createTeam', { input: { orgId: orgA } }, 'run'],
    ['orgViewer', 'Mutation.createTeam', { input: { orgId: orgA } }, readOnly],
    ['orgAdmin', 'Mutation.createTeam', { input: { orgId: orgB } }, outside],
    ['orgAdmin', 'Query.auditEvents', {}, onlyPlatform],
    ['platform', 'Query.auditEvents', {}, 'run'],
    ['orgAdmin', 'Mutation.createOrganization', {}, onlyPlatform],
    ['dataPlane', 'Mutation.createOrganization', {}, dpRefused],
    ['platform', 'Mutation.ingestUsage', {}, 'FORBIDDEN: Only data planes may use this field'],
    ['anonymous', 'Mutation.ingestUsage', {}, unauthenticated],
    ['dataPlane', 'Mutation.ingestUsage', {}, 'run'],
    ['anonymous', 'Mutation.login', {}, 'run'],
    ['anonymous', 'Query.me', {}, 'null'],
    ['orgAdminToken', 'Query.me', {}, 'null'],
    ['orgViewer', 'Query.me', {}, 'run'],
    ['orgAdminToken', 'Mutation.changePassword', {}, 'FORBIDDEN: Only a logged-in admin has a password'],
    ['orgViewer', 'Query.organization', { id: orgB }, 'null'],
    ['orgViewer', 'Query.organization', { id: orgA }, 'run'],
    ['platform', 'Query.organization', { id: 'nope' }, 'null'],
    ['orgViewer', 'Query.models', { filter: { credentialId: orgA } }, onlyPlatform],
    ['orgViewer', 'Query.models', { filter: {} }, 'run'],
    ['orgAdmin', 'Mutation.createApiToken', { input: { orgId: orgA, role: 'org_admin' } }, 'run'],
    ['orgAdmin', 'Mutation.createApiToken', { input: { orgId: orgA, role: 'platform_admin' } }, noGrant],
    ['orgAdmin', 'Mutation.createAdminUser', { input: { role: 'org_viewer' } }, onlyPlatform],
    ['platform', 'Mutation.createAdminUser', { input: { role: 'platform_admin' } }, 'run'],
  ])('%s: %s %j -> %s', (who, op, args, want) => {
    expect(outcome(who, op, args)).toBe(want);
  });

  it.each([
    ['orgViewer', 'Organization.teams', { id: orgA }, 'run'],
    ['orgViewer', 'Organization.teams', { id: orgB }, outside],
    ['orgAdmin', 'Team.members', { orgId: orgB }, outside],
    ['platform', 'Team.members', { orgId: orgB }, 'run'],
    ['orgAdmin', 'Model.deployments', { id: 'm' }, onlyPlatform],
  ])('nested field, %s: %s of %j -> %s', (who, op, root, want) => {
    expect(outcome(who, op, {}, root)).toBe(want);
  });

  it('fails closed for an operation without an entry', () => {
    expect(() => outcome('platform', 'Query.nothingLikeThis')).toThrow(/no entry in access\/operations.ts/);
  });
});

describe('the operation table', () => {
  it('lists every query, mutation and subscription of the schema, and nothing else', async () => {
    expect(tableGaps(await gatewaySchema())).toEqual({ unlisted: [], unknown: [] });
  });

  it('is required: a schema with a root field the table lacks does not build', () => {
    const schema = buildSchema('type Query { me: Int, somethingNew: Int }');
    expect(() => guardSchema(schema)).toThrow(/unlisted Query.somethingNew/);
  });

  it('lists every field resolver, so nested data is checked as well', async () => {
    await gatewaySchema();
    const storage = getMetadataStorage();
    const typeName = (target: unknown) => storage.objectTypes.find((t) => t.target === target)?.name;
    const missing = storage.fieldResolvers
      .map((f) => `${typeName(f.resolverClassMetadata?.getObjectType?.()) ?? '?'}.${f.schemaName}`)
      .filter((coordinate) => !operations[coordinate]);
    expect(missing).toEqual([]);
  });
});
