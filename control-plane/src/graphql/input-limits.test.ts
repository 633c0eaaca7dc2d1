// Every argument is bounded before anything runs, over HTTP and graphql-ws alike: free text by length and to what
// PostgreSQL can store, lists by length, JSON by depth. Each refusal is BAD_USER_INPUT naming the input to fix,
// where these inputs used to reach the database (or JSON.stringify) and come back as INTERNAL_SERVER_ERROR.
import { type GraphQLInputType, getNamedType, isInputObjectType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestMutation, usageRecord } from '../modules/usage/test-records.ts';
import { gatewaySchema } from '../schema.ts';
import { createOrg } from '../test-support/fixtures.ts';
import { useApiSuite } from '../test-support/suite.ts';
import { buildWorld, type World } from '../test-support/tenant-world.ts';
import { dataPlaneToken } from '../test-support/test-app.ts';
import { maxJsonDepth, maxListItems, textKinds, textLimits } from './input-limits.ts';

const t = useApiSuite();
let w: World;
beforeAll(async () => {
  w = await buildWorld(t.app);
}, 60_000);

/** JSON text of `{"a":{"a":…1…}}`, `levels` objects deep (JSON.stringify itself overflows on deep values). */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

const createTeam = 'mutation($i: CreateTeamInput!) { createTeam(input: $i) { id name } }';
const createKey = 'mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { virtualKey { id } } }';
const orgs = 'query($f: OrganizationFilter) { organizations(filter: $f) { totalCount } }';
const modelAccess = 'mutation($i: SetOrgModelAccessInput!) { setOrgModelAccess(input: $i) { allModels } }';

interface Case {
  /** The request's variables, or its raw JSON body text when JSON.stringify cannot build it. */
  query: string;
  variables: () => Record<string, unknown>;
  field: string;
  message: string;
}

const refused: Record<string, Case> = {
  'a name over 200 characters': {
    query: createTeam,
    variables: () => ({ i: { orgId: w.A.id, name: 'n'.repeat(201) } }),
    field: 'input.name',
    message: 'name must be at most 200 characters',
  },
  'a name with NUL': {
    query: createTeam,
    variables: () => ({ i: { orgId: w.A.id, name: 'a\0b' } }),
    field: 'input.name',
    message: 'name must not contain the NUL character (U+0000)',
  },
  'a name with a lone surrogate': {
    query: createTeam,
    variables: () => ({ i: { orgId: w.A.id, name: 'a\uD800b' } }),
    field: 'input.name',
    message: 'name must not contain unpaired UTF-16 surrogates',
  },
  'a blank id': {
    query: createTeam,
    variables: () => ({ i: { orgId: ' ', name: 'blank' } }),
    field: 'input.orgId',
    message: 'orgId must not be empty',
  },
  'a search filter over 200 characters': {
    query: orgs,
    variables: () => ({ f: { search: 's'.repeat(201) } }),
    field: 'filter.search',
    message: 'search must be at most 200 characters',
  },
  'a search filter with NUL': {
    query: orgs,
    variables: () => ({ f: { search: '\0' } }),
    field: 'filter.search',
    message: 'search must not contain the NUL character (U+0000)',
  },
  'a model name over 256 characters in a list': {
    query: modelAccess,
    variables: () => ({ i: { orgId: w.A.id, allModels: false, modelNames: ['ok', 'm'.repeat(257)] } }),
    field: 'input.modelNames.1',
    message: 'modelNames must be at most 256 characters',
  },
  [`a list of more than ${maxListItems} items`]: {
    query: modelAccess,
    variables: () => ({ i: { orgId: w.A.id, allModels: false, modelNames: Array(maxListItems + 1).fill('m') } }),
    field: 'input.modelNames',
    message: `modelNames may hold at most ${maxListItems} items`,
  },
  'key metadata with a NUL in a key': {
    query: createKey,
    variables: () => ({ i: { orgId: w.A.id, userId: w.A.userId, name: 'k', metadata: { 'a\0': 1 } } }),
    field: 'input.metadata',
    message: 'metadata keys must not contain the NUL character (U+0000)',
  },
  'key metadata with a lone surrogate in a value': {
    query: createKey,
    variables: () => ({ i: { orgId: w.A.id, userId: w.A.userId, name: 'k', metadata: { a: ['\uDC00'] } } }),
    field: 'input.metadata',
    message: 'metadata must not contain unpaired UTF-16 surrogates',
  },
};

const transports = ['gql', 'wsGql'] as const;

describe.each(transports)('input limits (%s)', (send) => {
  it.each(Object.entries(refused))('refuses %s with BAD_USER_INPUT before running', async (_, c) => {
    const r = await t.app[send](c.query, c.variables(), w.tokens.platform);
    expect(r.data).toBeUndefined();
    expect(r.errors).toEqual([{ message: c.message, extensions: { code: 'BAD_USER_INPUT', field: c.field } }]);
    if (send === 'gql') expect(r.status).toBe(400);
  });

  it('counts code points, not UTF-16 units, and checks literals as well as variables', async () => {
    // 200 code points, 399 UTF-16 units; one team per transport (team names are unique in an org).
    const emoji = `${'🦊'.repeat(199)}${send === 'gql' ? 'h' : 'w'}`;
    const ok = await t.app[send]<{ createTeam: { name: string } }>(
      createTeam,
      { i: { orgId: w.A.id, name: emoji } },
      w.tokens.orgAdmin,
    );
    expect(ok.data?.createTeam.name).toBe(emoji);
    const literal = await t.app[send](
      `mutation { createTeam(input: { orgId: "${w.A.id}", name: "${'n'.repeat(201)}" }) { id } }`,
      {},
      w.tokens.orgAdmin,
    );
    expect(literal.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });
});

describe('JSON inputs', () => {
  async function postRaw(body: string, token: string) {
    const res = await fetch(`${t.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    return { status: res.status, ...((await res.json()) as { data?: unknown; errors?: { extensions?: unknown }[] }) };
  }

  it.each([maxJsonDepth + 1, 5000])(
    'refuses key metadata %i levels deep (it used to overflow the stack)',
    async (n) => {
      const vars = `{"i":{"orgId":"${w.A.id}","userId":"${w.A.userId}","name":"deep","metadata":${nested(n)}}}`;
      const r = await postRaw(`{"query":${JSON.stringify(createKey)},"variables":${vars}}`, w.tokens.platform);
      expect(r.status).toBe(400);
      expect(r.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.metadata' });
    },
  );

  it(`accepts metadata ${maxJsonDepth} levels deep`, async () => {
    const vars = `{"i":{"orgId":"${w.A.id}","userId":"${w.A.userId}","name":"deep","metadata":${nested(maxJsonDepth)}}}`;
    const r = await postRaw(`{"query":${JSON.stringify(createKey)},"variables":${vars}}`, w.tokens.platform);
    expect(r.errors).toBeUndefined();
  });

  it('bounds the depth of a usage batch but leaves its text to ingestion, which rejects records one by one', async () => {
    const deep = await postRaw(
      `{"query":${JSON.stringify(ingestMutation)},"variables":{"b":${nested(40)}}}`,
      dataPlaneToken,
    );
    expect(deep.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'batch' });
    const orgId = await createOrg(t.app, 'Usage text');
    const records = [usageRecord(orgId), usageRecord(orgId, { model: 'gpt\u00004o' })];
    const withNul = await t.app.gql<{ ingestUsage: { accepted: number; rejected: { index: number }[] } }>(
      ingestMutation,
      { b: { records } },
      dataPlaneToken,
    );
    expect(withNul.data?.ingestUsage).toMatchObject({ accepted: 1, rejected: [{ index: 1 }] });
  });
});

describe('the text limit table', () => {
  it('names inputs that exist and hold text', async () => {
    const schema = await gatewaySchema();
    const typeAt = (coordinate: string): GraphQLInputType | undefined => {
      const arg = /^(\w+)\.(\w+)\((\w+)\)$/.exec(coordinate);
      if (arg) {
        const parent = schema.getType(arg[1]) as {
          getFields?: () => Record<string, { args: { name: string; type: GraphQLInputType }[] }>;
        };
        return parent.getFields?.()[arg[2]]?.args.find((a) => a.name === arg[3])?.type;
      }
      const [typeName, fieldName] = coordinate.split('.');
      const type = schema.getType(typeName);
      return isInputObjectType(type) ? type.getFields()[fieldName]?.type : undefined;
    };
    for (const [coordinate, kind] of Object.entries(textKinds)) {
      const type = typeAt(coordinate);
      expect(type, coordinate).toBeDefined();
      // String, String!, [String!] or [String!]!: text, or a list of text.
      expect(getNamedType(type as GraphQLInputType).name, coordinate).toBe('String');
      expect(textLimits[kind]).toBeGreaterThan(0);
    }
  });
});
