// The tenant isolation matrix: every query, mutation and subscription of the schema, run as every kind of caller
// against its own org (A) and a foreign one (B), expecting what the operation table (access/operations.ts) says.
// It proves zero reads across tenants (no id of B in any answer to A's callers) and zero writes (no row anywhere
// changed by a refused mutation), and it fails when the schema gains an operation the table or this file lacks.
import { randomUUID } from 'node:crypto';
import { type GraphQLObjectType, getNamedType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatewaySchema } from '../schema.ts';
import { useApiSuite } from '../test-support/suite.ts';
import {
  buildWorld,
  freshLogin,
  type OrgWorld,
  password,
  platformGql,
  type RoleName,
  type World,
} from '../test-support/tenant-world.ts';
import { tableGaps } from './guard-schema.ts';
import { operations } from './operations.ts';

const t = useApiSuite();

/**
 * What an operation is, for access purposes (read from its entry in the operation table, see scopeOf):
 * - org-read / org-write: data of the target org (platform: both orgs; org admin: its own; viewer: read its own);
 * - platform: platform admins only;
 * - any-admin: every admin, answered within their scope (lists and the shared catalogue); checked for leaks;
 * - self: about the logged-in admin itself; public: anyone; data-plane: the data-plane token only.
 */
type Scope = 'org-read' | 'org-write' | 'platform' | 'any-admin' | 'self' | 'public' | 'data-plane';

interface Call {
  query: string;
  variables?: Record<string, unknown>;
  /** Another bearer token for this one call (e.g. a fresh session to log out). */
  token?: string;
}

interface Case {
  /** The call leaves out the operation's org argument, so it is answered within the caller's own scope. */
  withoutOrg?: true;
  /** Builds the call against `org`; may first create throwaway resources in it as the platform. */
  build(w: World, org: OrgWorld): Promise<Call> | Call;
}

const roles: RoleName[] = ['platform', 'orgAdmin', 'orgViewer', 'orgAdminToken', 'dataPlane'];
const orgRoles = new Set<RoleName>(['orgAdmin', 'orgViewer', 'orgAdminToken']);

function expected(scope: Scope, role: RoleName, target: 'A' | 'B', readOnly: boolean): boolean {
  switch (scope) {
    case 'data-plane':
      return role === 'dataPlane';
    case 'public':
      return true;
    case 'self':
      // Only a login session is an admin user: API tokens and ADMIN_TOKEN have no password and no `me`.
      return role === 'orgAdmin' || role === 'orgViewer';
    case 'any-admin':
      return role !== 'dataPlane';
    case 'platform':
      return role === 'platform';
    case 'org-read':
    case 'org-write':
      if (role === 'platform') return true;
      if (role === 'dataPlane' || target === 'B') return false;
      return readOnly ? true : role !== 'orgViewer';
  }
}

/** The class of an operation, from the roles and scope its entry in access/operations.ts gives it. */
function scopeOf(op: string, c: Case): Scope {
  const entry = operations[op];
  if (!entry) throw new Error(`${op} has no entry in access/operations.ts`);
  const { roles, scope } = entry;
  if (roles.includes('anyone')) return 'public';
  if (roles.includes('data-plane')) return 'data-plane';
  if (scope.kind === 'self') return 'self';
  const orgRolesMay = roles.includes('org_admin') || roles.includes('org_viewer');
  if (scope.kind === 'platform') return orgRolesMay ? 'any-admin' : 'platform';
  if (scope.kind === 'caller') return 'any-admin';
  if (scope.kind === 'org' && c.withoutOrg) return scope.absent === 'caller' ? 'any-admin' : 'platform';
  return roles.includes('org_viewer') ? 'org-read' : 'org-write';
}

let w: World;
const q = () => platformGql(t.app);
const day = '2030-01-01T00:00:00.000Z';
const nextDay = '2030-01-02T00:00:00.000Z';

async function freshTeam(org: OrgWorld): Promise<string> {
  const r = await q()<{ createTeam: { id: string } }>(
    'mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }',
    {
      i: { orgId: org.id, name: `t-${w.next()}` },
    },
  );
  return r.createTeam.id;
}
async function freshUser(org: OrgWorld): Promise<string> {
  const r = await q()<{ createUser: { id: string } }>(
    'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
    {
      i: { orgId: org.id, email: `u-${w.next()}@tenant.example` },
    },
  );
  return r.createUser.id;
}
async function freshKey(org: OrgWorld): Promise<string> {
  const r = await q()<{ createVirtualKey: { virtualKey: { id: string } } }>(
    'mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { virtualKey { id } } }',
    { i: { orgId: org.id, userId: org.userId, name: `k-${w.next()}` } },
  );
  return r.createVirtualKey.virtualKey.id;
}
async function freshViewer(org: OrgWorld): Promise<string> {
  const r = await q()<{ createAdminUser: { id: string } }>(
    'mutation($i: CreateAdminUserInput!) { createAdminUser(input: $i) { id } }',
    { i: { email: `v-${w.next()}@tenant.example`, password, role: 'ORG_VIEWER', orgId: org.id } },
  );
  return r.createAdminUser.id;
}
async function freshToken(org: OrgWorld): Promise<string> {
  const r = await q()<{ createApiToken: { apiToken: { id: string } } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { apiToken { id } } }',
    { i: { name: `tok-${w.next()}`, role: 'ORG_VIEWER', orgId: org.id } },
  );
  return r.createApiToken.apiToken.id;
}
async function freshOrg(): Promise<string> {
  const r = await q()<{ createOrganization: { id: string } }>(
    'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
    { i: { name: `Throwaway ${w.next()}` } },
  );
  return r.createOrganization.id;
}
async function freshModule(): Promise<string> {
  const r = await q()<{ createModule: { id: string } }>(
    'mutation($i: CreateModuleInput!) { createModule(input: $i) { id } }',
    {
      i: { key: `mod-${w.next()}`, name: 'Throwaway module' },
    },
  );
  return r.createModule.id;
}
async function freshCredential(): Promise<string> {
  const r = await q()<{ createProviderCredential: { id: string } }>(
    'mutation($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id } }',
    { i: { name: `cred-${w.next()}`, provider: 'OPENAI', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-throwaway' } },
  );
  return r.createProviderCredential.id;
}
async function freshModel(): Promise<{ id: string; deploymentIds: string[] }> {
  const r = await q()<{ createModel: { id: string; deployments: { id: string }[] } }>(
    'mutation($i: CreateModelInput!) { createModel(input: $i) { id deployments { id } } }',
    {
      i: {
        name: `model-${w.next()}`,
        inputPricePerMTok: 1,
        outputPricePerMTok: 1,
        deployments: [
          { credentialId: w.credentialId, upstreamModel: 'a' },
          { credentialId: w.credentialId, upstreamModel: 'b' },
        ],
      },
    },
  );
  return { id: r.createModel.id, deploymentIds: r.createModel.deployments.map((d) => d.id) };
}

async function teamLimits(org: OrgWorld, teamId: string): Promise<void> {
  await q()(
    `mutation($o: ID!, $s: ID!) {
      setLimits(orgId: $o, scope: TEAM, scopeId: $s, input: { budgets: { daily: "5" } }) { id } }`,
    { o: org.id, s: teamId },
  );
}

const usageRecord = (org: OrgWorld) => ({
  requestId: `req_${randomUUID()}`,
  ts: '2030-01-01T10:00:00.000Z',
  nodeId: 'matrix-dp',
  orgId: org.id,
  teamId: org.teamId,
  userId: org.userId,
  keyId: org.keyId,
  moduleId: null,
  model: 'matrix-model',
  provider: 'openai',
  upstreamModel: 'up-matrix',
  inputTokens: 1,
  outputTokens: 1,
  cachedInputTokens: 0,
  costUsd: 0,
  latencyMs: 1,
  overheadMs: 0.1,
  status: 200,
  errorCode: null,
  stream: false,
});

const byOrg = (query: string) => (_w: World, org: OrgWorld) => ({ query, variables: { o: org.id } });

export const cases: Record<string, Case> = {
  // ---- queries
  'Query.adminUsers': {
    build: byOrg('query($o: ID) { adminUsers(orgId: $o) { nodes { id email } } }'),
  },
  'Query.apiTokens': {
    build: byOrg('query($o: ID) { apiTokens(orgId: $o) { nodes { id name } } }'),
  },
  'Query.auditEvents': {
    build: byOrg('query($o: ID) { auditEvents(orgId: $o) { nodes { id orgId targetId } } }'),
  },
  'Query.configState': { build: () => ({ query: '{ configState { version } }' }) },
  'Query.dataPlaneNodes': { build: () => ({ query: '{ dataPlaneNodes { nodes { nodeId } } }' }) },
  'Query.fleetSync': { build: () => ({ query: '{ fleetSync { nodes inSync } }' }) },
  'Query.me': { build: () => ({ query: '{ me { id email orgId } }' }) },
  'Query.model': {
    build: (world) => ({ query: 'query($id: ID!) { model(id: $id) { id name } }', variables: { id: world.modelId } }),
  },
  'Query.models': { withoutOrg: true, build: () => ({ query: '{ models { nodes { id name } } }' }) },
  'Query.module': {
    build: (world) => ({ query: 'query($id: ID!) { module(id: $id) { id key } }', variables: { id: world.moduleId } }),
  },
  'Query.modules': { build: () => ({ query: '{ modules { nodes { id key } } }' }) },
  'Query.organization': {
    build: (_w, org) => ({
      query:
        'query($id: ID!) { organization(id: $id) { id limits { id } teams { nodes { id limits { id } } } users { nodes { id limits { id } } } } }',
      variables: { id: org.id },
    }),
  },
  'Query.organizations': {
    build: () => ({ query: '{ organizations { nodes { id teams { nodes { id } } virtualKeys { nodes { id } } } } }' }),
  },
  'Query.providerCredential': {
    build: (world) => ({
      query: 'query($id: ID!) { providerCredential(id: $id) { id } }',
      variables: { id: world.credentialId },
    }),
  },
  'Query.providerCredentials': {
    build: () => ({ query: '{ providerCredentials { nodes { id } } }' }),
  },
  'Query.team': {
    build: (_w, org) => ({ query: 'query($id: ID!) { team(id: $id) { id orgId } }', variables: { id: org.teamId } }),
  },
  'Query.teams': { build: byOrg('query($o: ID) { teams(orgId: $o) { nodes { id } } }') },
  'Query.usageByOrg': { build: () => ({ query: '{ usageByOrg { nodes { orgId orgName } } }' }) },
  'Query.usageSeries': {
    build: (_w, org) => ({
      query: `query($o: ID, $f: DateTime!, $t: DateTime!) {
        usageSeries(orgId: $o, from: $f, to: $t, bucket: DAY, groupBy: [KEY]) { nodes { keyId requests } } }`,
      variables: { o: org.id, f: day, t: nextDay },
    }),
  },
  'Query.usageTop': {
    build: (_w, org) => ({
      query:
        'query($o: ID, $f: DateTime!, $t: DateTime!) { usageTop(orgId: $o, from: $f, to: $t, by: USER) { value } }',
      variables: { o: org.id, f: day, t: nextDay },
    }),
  },
  'Query.usageTotals': {
    build: (_w, org) => ({
      query: 'query($o: ID, $f: DateTime!, $t: DateTime!) { usageTotals(orgId: $o, from: $f, to: $t) { requests } }',
      variables: { o: org.id, f: day, t: nextDay },
    }),
  },
  'Query.user': {
    build: (_w, org) => ({ query: 'query($id: ID!) { user(id: $id) { id orgId } }', variables: { id: org.userId } }),
  },
  'Query.users': { build: byOrg('query($o: ID) { users(orgId: $o) { nodes { id } } }') },
  'Query.virtualKey': {
    build: (_w, org) => ({
      query: 'query($id: ID!) { virtualKey(id: $id) { id orgId limits { id } } }',
      variables: { id: org.keyId },
    }),
  },
  'Query.virtualKeys': { build: byOrg('query($o: ID) { virtualKeys(orgId: $o) { nodes { id } } }') },

  'Query.billingSettings': {
    build: byOrg('query($o: ID!) { billingSettings(orgId: $o) { currency markupPercent } }'),
  },
  'Query.defaultBillingSettings': {
    build: () => ({ query: '{ defaultBillingSettings { currency } }' }),
  },
  'Query.billingExport': {
    build: (_w, org) => ({
      query: 'query($o: ID!) { billingExport(orgId: $o, period: "2030-01") { csv } }',
      variables: { o: org.id },
    }),
  },

  // ---- billing settings (platform admins)
  'Mutation.setBillingSettings': {
    build: async () => ({
      query: 'mutation($o: ID!) { setBillingSettings(orgId: $o, input: { markupPercent: 12.5 }) { markupPercent } }',
      variables: { o: await freshOrg() },
    }),
  },
  'Mutation.resetBillingSettings': {
    build: async () => {
      const o = await freshOrg();
      await q()('mutation($o: ID!) { setBillingSettings(orgId: $o, input: { markupPercent: 5 }) { markupPercent } }', {
        o,
      });
      return { query: 'mutation($o: ID!) { resetBillingSettings(orgId: $o) { markupPercent } }', variables: { o } };
    },
  },
  'Mutation.setDefaultBillingSettings': {
    build: () => ({
      query: 'mutation { setDefaultBillingSettings(input: { currency: "USD", exchangeRate: 1 }) { currency } }',
    }),
  },

  // ---- the org's own people and tokens
  'Mutation.createAdminUser': {
    build: (world, org) => ({
      query: 'mutation($i: CreateAdminUserInput!) { createAdminUser(input: $i) { id } }',
      variables: { i: { email: `new-${world.next()}@tenant.example`, password, role: 'ORG_VIEWER', orgId: org.id } },
    }),
  },
  'Mutation.updateAdminUser': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { updateAdminUser(id: $id, input: { name: "renamed" }) { id } }',
      variables: { id: await freshViewer(org) },
    }),
  },
  'Mutation.deleteAdminUser': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { deleteAdminUser(id: $id) }',
      variables: { id: await freshViewer(org) },
    }),
  },
  'Mutation.createApiToken': {
    build: (world, org) => ({
      query: 'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
      variables: { i: { name: `new-${world.next()}`, role: 'ORG_VIEWER', orgId: org.id } },
    }),
  },
  'Mutation.revokeApiToken': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }',
      variables: { id: await freshToken(org) },
    }),
  },

  // ---- teams and users
  'Mutation.createTeam': {
    build: (world, org) => ({
      query: 'mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }',
      variables: { i: { orgId: org.id, name: `new-${world.next()}` } },
    }),
  },
  'Mutation.updateTeam': {
    build: async (world, org) => ({
      query: 'mutation($id: ID!, $n: String) { updateTeam(id: $id, input: { name: $n }) { id } }',
      variables: { id: await freshTeam(org), n: `renamed-${world.next()}` },
    }),
  },
  'Mutation.suspendTeam': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { suspendTeam(id: $id) { id } }',
      variables: { id: await freshTeam(org) },
    }),
  },
  'Mutation.reactivateTeam': {
    build: async (_w, org) => {
      const id = await freshTeam(org);
      await q()('mutation($id: ID!) { suspendTeam(id: $id) { id } }', { id });
      return { query: 'mutation($id: ID!) { reactivateTeam(id: $id) { id } }', variables: { id } };
    },
  },
  'Mutation.deleteTeam': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { deleteTeam(id: $id) }',
      variables: { id: await freshTeam(org) },
    }),
  },
  'Mutation.addTeamMember': {
    build: async (_w, org) => ({
      query: 'mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { team { id } } }',
      variables: { t: await freshTeam(org), u: org.userId },
    }),
  },
  'Mutation.removeTeamMember': {
    build: async (_w, org) => {
      const team = await freshTeam(org);
      const user = await freshUser(org);
      await q()('mutation($t: ID!, $u: ID!) { addTeamMember(teamId: $t, userId: $u) { team { id } } }', {
        t: team,
        u: user,
      });
      return {
        query: 'mutation($t: ID!, $u: ID!) { removeTeamMember(teamId: $t, userId: $u) { team { id } } }',
        variables: { t: team, u: user },
      };
    },
  },
  'Mutation.createUser': {
    build: (world, org) => ({
      query: 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
      variables: { i: { orgId: org.id, email: `new-${world.next()}@tenant.example` } },
    }),
  },
  'Mutation.updateUser': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { updateUser(id: $id, input: { name: "Renamed" }) { id } }',
      variables: { id: await freshUser(org) },
    }),
  },
  'Mutation.suspendUser': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { suspendUser(id: $id) { id } }',
      variables: { id: await freshUser(org) },
    }),
  },
  'Mutation.reactivateUser': {
    build: async (_w, org) => {
      const id = await freshUser(org);
      await q()('mutation($id: ID!) { suspendUser(id: $id) { id } }', { id });
      return { query: 'mutation($id: ID!) { reactivateUser(id: $id) { id } }', variables: { id } };
    },
  },
  'Mutation.deleteUser': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { deleteUser(id: $id) }',
      variables: { id: await freshUser(org) },
    }),
  },

  // ---- virtual keys
  'Mutation.createVirtualKey': {
    build: (world, org) => ({
      query: 'mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { secret } }',
      variables: { i: { orgId: org.id, userId: org.userId, name: `new-${world.next()}` } },
    }),
  },
  'Mutation.updateVirtualKey': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { updateVirtualKey(id: $id, input: { name: "renamed" }) { id } }',
      variables: { id: await freshKey(org) },
    }),
  },
  'Mutation.revokeVirtualKey': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { revokeVirtualKey(id: $id) { id } }',
      variables: { id: await freshKey(org) },
    }),
  },
  'Mutation.rotateVirtualKey': {
    build: async (_w, org) => ({
      query: 'mutation($id: ID!) { rotateVirtualKey(id: $id) { secret } }',
      variables: { id: await freshKey(org) },
    }),
  },

  // ---- organizations (platform admins)
  'Mutation.createOrganization': {
    build: (world) => ({
      query: 'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
      variables: { i: { name: `Created ${world.next()}` } },
    }),
  },
  'Mutation.updateOrganization': {
    build: (world, org) => ({
      query: 'mutation($id: ID!, $n: String) { updateOrganization(id: $id, input: { name: $n }) { id } }',
      variables: { id: org.id, n: `Tenant ${org.name} ${world.next()}` },
    }),
  },
  'Mutation.suspendOrganization': {
    build: async () => ({
      query: 'mutation($id: ID!) { suspendOrganization(id: $id) { id } }',
      variables: { id: await freshOrg() },
    }),
  },
  'Mutation.reactivateOrganization': {
    build: async () => {
      const id = await freshOrg();
      await q()('mutation($id: ID!) { suspendOrganization(id: $id) { id } }', { id });
      return { query: 'mutation($id: ID!) { reactivateOrganization(id: $id) { id } }', variables: { id } };
    },
  },
  'Mutation.deleteOrganization': {
    build: async () => ({
      query: 'mutation($id: ID!) { deleteOrganization(id: $id) }',
      variables: { id: await freshOrg() },
    }),
  },
  'Mutation.setOrgModelAccess': {
    build: async () => ({
      query: 'mutation($i: SetOrgModelAccessInput!) { setOrgModelAccess(input: $i) { orgId } }',
      variables: { i: { orgId: await freshOrg(), allModels: false, modelNames: [] } },
    }),
  },

  // ---- module catalogue and enablement (platform admins)
  'Mutation.createModule': {
    build: (world) => ({
      query: 'mutation($i: CreateModuleInput!) { createModule(input: $i) { id } }',
      variables: { i: { key: `created-${world.next()}`, name: 'Created' } },
    }),
  },
  'Mutation.updateModule': {
    build: async () => ({
      query: 'mutation($id: ID!) { updateModule(id: $id, input: { name: "Renamed" }) { id } }',
      variables: { id: await freshModule() },
    }),
  },
  'Mutation.suspendModule': {
    build: async () => ({
      query: 'mutation($id: ID!) { suspendModule(id: $id) { id } }',
      variables: { id: await freshModule() },
    }),
  },
  'Mutation.reactivateModule': {
    build: async () => {
      const id = await freshModule();
      await q()('mutation($id: ID!) { suspendModule(id: $id) { id } }', { id });
      return { query: 'mutation($id: ID!) { reactivateModule(id: $id) { id } }', variables: { id } };
    },
  },
  'Mutation.deleteModule': {
    build: async () => ({
      query: 'mutation($id: ID!) { deleteModule(id: $id) }',
      variables: { id: await freshModule() },
    }),
  },
  'Mutation.enableModule': {
    build: async (_w, org) => ({
      query: 'mutation($i: ModuleEnablementInput!) { enableModule(input: $i) { id } }',
      variables: { i: { orgId: org.id, moduleId: await freshModule() } },
    }),
  },
  'Mutation.updateModuleEnablement': {
    build: async (world, org) => {
      const moduleId = await freshModule();
      await q()('mutation($i: ModuleEnablementInput!) { enableModule(input: $i) { id } }', {
        i: { orgId: org.id, moduleId },
      });
      return {
        query: 'mutation($i: ModuleEnablementInput!) { updateModuleEnablement(input: $i) { id } }',
        variables: { i: { orgId: org.id, moduleId, allowedModels: [world.modelName] } },
      };
    },
  },
  'Mutation.disableModule': {
    build: async (_w, org) => {
      const moduleId = await freshModule();
      await q()('mutation($i: ModuleEnablementInput!) { enableModule(input: $i) { id } }', {
        i: { orgId: org.id, moduleId },
      });
      return {
        query: 'mutation($m: ID!, $o: ID!) { disableModule(moduleId: $m, orgId: $o) }',
        variables: { m: moduleId, o: org.id },
      };
    },
  },

  // ---- providers and models (platform admins)
  'Mutation.createProviderCredential': {
    build: (world) => ({
      query: 'mutation($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id } }',
      variables: {
        i: { name: `c-${world.next()}`, provider: 'OPENAI', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-new' },
      },
    }),
  },
  'Mutation.updateProviderCredential': {
    build: async () => ({
      query:
        'mutation($id: ID!) { updateProviderCredential(input: { id: $id, baseUrl: "http://127.0.0.1:8/v1" }) { id } }',
      variables: { id: await freshCredential() },
    }),
  },
  'Mutation.rotateProviderCredential': {
    build: async () => ({
      query: 'mutation($id: ID!) { rotateProviderCredential(input: { id: $id, apiKey: "sk-rotated" }) { id } }',
      variables: { id: await freshCredential() },
    }),
  },
  'Mutation.deleteProviderCredential': {
    build: async () => ({
      query: 'mutation($id: ID!) { deleteProviderCredential(id: $id) { id } }',
      variables: { id: await freshCredential() },
    }),
  },
  'Mutation.createModel': {
    build: (world) => ({
      query: 'mutation($i: CreateModelInput!) { createModel(input: $i) { id } }',
      variables: {
        i: {
          name: `created-${world.next()}`,
          inputPricePerMTok: 1,
          outputPricePerMTok: 1,
          deployments: [{ credentialId: world.credentialId, upstreamModel: 'x' }],
        },
      },
    }),
  },
  'Mutation.updateModel': {
    build: async () => ({
      query: 'mutation($id: ID!) { updateModel(input: { id: $id, inputPricePerMTok: 3 }) { id } }',
      variables: { id: (await freshModel()).id },
    }),
  },
  'Mutation.deleteModel': {
    build: async () => ({
      query: 'mutation($id: ID!) { deleteModel(id: $id) { id } }',
      variables: { id: (await freshModel()).id },
    }),
  },
  'Mutation.addModelDeployment': {
    build: async (world) => ({
      query: 'mutation($i: AddModelDeploymentInput!) { addModelDeployment(input: $i) { id } }',
      variables: { i: { modelId: (await freshModel()).id, credentialId: world.credentialId, upstreamModel: 'c' } },
    }),
  },
  'Mutation.updateModelDeployment': {
    build: async () => ({
      query: 'mutation($id: ID!) { updateModelDeployment(input: { id: $id, weight: 3 }) { id } }',
      variables: { id: (await freshModel()).deploymentIds[0] },
    }),
  },
  'Mutation.removeModelDeployment': {
    build: async () => ({
      query: 'mutation($id: ID!) { removeModelDeployment(id: $id) { id } }',
      variables: { id: (await freshModel()).deploymentIds[0] },
    }),
  },

  // ---- budgets and rate limits (the cases set TEAM scope: an org's own ORG scope is the platform's, limits.test.ts)
  'Query.limits': {
    build: byOrg('query($o: ID!) { limits(orgId: $o) { id scopeId scopeName budgets { spentUsd } } }'),
  },
  'Query.scopeLimits': {
    build: async (_w, org) => {
      // (Not for the blank orgId of the list check below.)
      if (org.id) await teamLimits(org, org.teamId);
      return {
        query: 'query($o: ID!, $s: ID!) { scopeLimits(orgId: $o, scope: TEAM, scopeId: $s) { id scopeId } }',
        variables: { o: org.id, s: org.teamId },
      };
    },
  },
  'Query.budgetLeases': { build: byOrg('query($o: ID!) { budgetLeases(orgId: $o) { limitId nodeId } }') },
  'Query.limitsNearOrOver': { build: () => ({ query: '{ limitsNearOrOver(minPercent: 0) { id orgId } }' }) },
  'Query.budgetBasis': { build: () => ({ query: '{ budgetBasis }' }) },
  'Mutation.setLimits': {
    build: async (_w, org) => ({
      query: `mutation($o: ID!, $s: ID!) {
        setLimits(orgId: $o, scope: TEAM, scopeId: $s, input: { budgets: { daily: "5" }, rpm: 10 }) { id } }`,
      variables: { o: org.id, s: await freshTeam(org) },
    }),
  },
  'Mutation.removeLimits': {
    build: async (_w, org) => {
      const team = await freshTeam(org);
      await teamLimits(org, team);
      return {
        query: 'mutation($o: ID!, $s: ID!) { removeLimits(orgId: $o, scope: TEAM, scopeId: $s) }',
        variables: { o: org.id, s: team },
      };
    },
  },
  'Mutation.resetBudgetPeriod': {
    build: async (_w, org) => {
      const team = await freshTeam(org);
      await teamLimits(org, team);
      return {
        query:
          'mutation($o: ID!, $s: ID!) { resetBudgetPeriod(orgId: $o, scope: TEAM, scopeId: $s, period: DAILY) { id } }',
        variables: { o: org.id, s: team },
      };
    },
  },
  'Mutation.setBudgetBasis': { build: () => ({ query: 'mutation { setBudgetBasis(basis: PROVIDER_COST) }' }) },
  'Mutation.leaseBudgets': {
    build: () => ({
      query: 'mutation($r: JSON!) { leaseBudgets(request: $r) }',
      variables: { r: { nodeId: 'matrix-dp', bootId: 'matrix-boot-1', asks: [] } },
    }),
  },

  // ---- the caller itself, anyone, and the data plane
  'Mutation.login': {
    build: (world) => ({
      query: 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      variables: { e: world.logins.orgViewer, p: password },
    }),
  },
  'Mutation.logout': { build: () => ({ query: 'mutation { logout }' }) },
  'Mutation.changePassword': {
    build: () => ({
      query: 'mutation($p: String!) { changePassword(currentPassword: $p, newPassword: $p) }',
      variables: { p: password },
    }),
  },
  'Mutation.ingestUsage': {
    build: (_w, org) => ({
      query: 'mutation($b: JSON!) { ingestUsage(batch: $b) { accepted } }',
      variables: { b: { records: [usageRecord(org)] } },
    }),
  },
  'Mutation.reportNodeStatus': {
    build: () => ({
      query: 'mutation($i: JSON!) { reportNodeStatus(input: $i) }',
      variables: {
        i: {
          nodeId: 'matrix-dp',
          appliedVersion: null,
          appliedHash: null,
          source: null,
          startedAt: new Date().toISOString(),
          version: '0.1.0',
        },
      },
    }),
  },
};

interface SubscriptionCase extends Case {
  /**
   * Makes an accepted subscription yield (e.g. new usage in `org`); called repeatedly until the first result
   * arrives, since the client cannot tell when the server has registered the subscription. Without it, an
   * accepted subscription yields on its own.
   */
  trigger?(w: World, org: OrgWorld): Promise<void>;
}

/** Subscriptions run over graphql-ws, with one client per caller; each is checked below like the other cases. */
const subscriptionCases: Record<string, SubscriptionCase> = {
  'Subscription.configSync': {
    build: () => ({ query: 'subscription { configSync(nodeId: "matrix-dp", protocol: 2) }' }),
  },
  'Subscription.usageUpdates': {
    build: byOrg('subscription($o: ID) { usageUpdates(orgId: $o) { orgId requests costUsd } }'),
    trigger: async (world, org) => {
      await t.app.gql(
        'mutation($b: JSON!) { ingestUsage(batch: $b) { accepted } }',
        { b: { records: [usageRecord(org)] } },
        world.tokens.dataPlane,
      );
    },
  },
};

type Answer = { status: number; data?: Record<string, unknown> | null; errors?: never[] };

const failure = (code: string, message: string): Answer => ({
  status: 0,
  errors: [{ message, extensions: { code } }] as never[],
});

/** The first result of a subscription: its data or its refusal (one result with errors), within 5 s. */
async function firstResult(c: SubscriptionCase, call: Call, token: string, org: OrgWorld): Promise<Answer> {
  const client = t.app.wsClient(token);
  let triggering: NodeJS.Timeout | undefined;
  let timeout: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Answer>((resolve) => {
      timeout = setTimeout(() => resolve(failure('TIMEOUT', 'no result within 5 s')), 5_000);
      const stop = client.subscribe(
        { query: call.query, variables: call.variables },
        {
          // A refusal inside subscribe arrives as one result with errors (then complete), not as an error.
          next: (result) => {
            stop();
            resolve({ status: 200, data: result.data as Answer['data'], errors: result.errors as never[] });
          },
          error: (e) => resolve(failure('SOCKET_ERROR', String(e))),
          complete: () => resolve(failure('COMPLETED', 'completed without a result')),
        },
      );
      // Refusals come back at once; an accepted subscription may stay silent until the trigger gives it news.
      const { trigger } = c;
      if (trigger) triggering = setInterval(() => void trigger(w, org), 250);
    });
  } finally {
    clearInterval(triggering);
    clearTimeout(timeout);
    await client.dispose();
  }
}

/**
 * Every row of every table, as text: a refused mutation must leave all of it as it was. Only bookkeeping that
 * reading itself updates is left out (an API token's last use, failed-login counts).
 */
async function fingerprint(): Promise<string> {
  const tables = await t.db.query(
    `select table_name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'
        and table_name not in ('mikro_orm_migrations', 'login_failures') order by 1`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables as { table_name: string }[]) {
    const rows = await t.db.query(`select (to_jsonb(x) - 'last_used_at')::text as r from "${table_name}" x order by 1`);
    parts.push(`${table_name}:${rows.map((r) => String(r.r)).join('|')}`);
  }
  return parts.join('\n');
}

const denialCodes = new Set(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHENTICATED']);

interface Outcome {
  allowed: boolean;
  detail: string;
  body: unknown;
}

function outcomeOf(
  field: string,
  r: {
    status: number;
    data?: Record<string, unknown> | null;
    errors?: { extensions?: Record<string, unknown>; message: string }[];
  },
): Outcome {
  const codes = (r.errors ?? []).map((e) => String(e.extensions?.code));
  if (codes.length) {
    if (codes.every((c) => denialCodes.has(c))) return { allowed: false, detail: codes.join(','), body: r };
    return { allowed: false, detail: `UNEXPECTED ${codes.join(',')}: ${r.errors?.[0].message}`, body: r };
  }
  // A lookup answering null is a refusal that does not reveal whether the thing exists.
  if (r.data && r.data[field] === null) return { allowed: false, detail: 'null', body: r };
  return { allowed: true, detail: 'ok', body: r };
}

beforeAll(async () => {
  w = await buildWorld(t.app);
}, 60_000);

describe('tenant isolation matrix', () => {
  it('covers every operation of the schema', async () => {
    const schema = await gatewaySchema();
    const listed: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      if (!root) continue;
      for (const name of Object.keys((getNamedType(root) as GraphQLObjectType).getFields()))
        listed.push(`${root.name}.${name}`);
    }
    expect(tableGaps(schema), 'operations missing from access/operations.ts, and entries the schema lacks').toEqual({
      unlisted: [],
      unknown: [],
    });
    const covered = new Set([...Object.keys(cases), ...Object.keys(subscriptionCases)]);
    expect(
      listed.filter((op) => !covered.has(op)),
      'operations without an isolation case',
    ).toEqual([]);
    expect(
      [...covered].filter((op) => !listed.includes(op)),
      'cases for operations that no longer exist',
    ).toEqual([]);
  });

  // The operations of the table, each with the call that exercises it (an operation without one fails above).
  const tableCases = Object.keys(operations).flatMap((op) => (cases[op] ? [[op, cases[op]] as const] : []));

  for (const [op, c] of tableCases) {
    const [kind, field] = op.split('.');
    const readOnly = kind === 'Query';
    const scope = scopeOf(op, c);
    it(`${op} (${scope})`, async () => {
      const problems: string[] = [];
      const targets: ('A' | 'B')[] = scope === 'org-read' || scope === 'org-write' ? ['A', 'B'] : ['A'];
      for (const role of roles) {
        for (const target of targets) {
          const org = w[target];
          const call = await c.build(w, org);
          let token = call.token ?? w.tokens[role];
          // Logging out must not end the session the rest of the matrix runs on.
          if (op === 'Mutation.logout' && (role === 'orgAdmin' || role === 'orgViewer')) {
            token = await freshLogin(t.app, role === 'orgAdmin' ? w.logins.orgAdmin : w.logins.orgViewer);
          }
          const before = readOnly ? '' : await fingerprint();
          const r = await t.app.gql(call.query, call.variables, token);
          const out = outcomeOf(field, r as never);
          const want = expected(scope, role, target, readOnly);
          const label = `${role} on ${target}`;
          if (out.detail.startsWith('UNEXPECTED')) problems.push(`${label}: ${out.detail}`);
          else if (out.allowed !== want)
            problems.push(
              `${label}: ${out.allowed ? 'allowed' : `refused (${out.detail})`}, expected ${want ? 'allowed' : 'refused'}`,
            );
          // Zero reads across tenants: nothing of B in any answer to A's callers.
          if (orgRoles.has(role) && out.allowed) {
            const text = JSON.stringify(r.data);
            for (const id of w.B.ids) if (text.includes(id)) problems.push(`${label}: answer contains B's id ${id}`);
          }
          // Zero writes across tenants: a refused mutation changed nothing, in any org.
          if (!readOnly && !out.allowed && (await fingerprint()) !== before) {
            problems.push(`${label}: refused, but rows changed`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('never widens a list to every org for an empty orgId', async () => {
    // `teams(orgId: "")` skipped the scope check (a blank id is falsy) and then filtered nothing: an org viewer saw
    // every org's teams, users and keys. Each org-scoped query, as each org role, with orgId "".
    const problems: string[] = [];
    for (const [op, c] of Object.entries(cases)) {
      const scope = scopeOf(op, c);
      if (!op.startsWith('Query.') || (scope !== 'org-read' && scope !== 'any-admin')) continue;
      const call = await c.build(w, { ...w.B, id: '' });
      if (!call.variables || !('o' in call.variables)) continue;
      for (const role of roles.filter((r) => orgRoles.has(r))) {
        const r = await t.app.gql(call.query, call.variables, w.tokens[role]);
        const text = JSON.stringify(r.data ?? null);
        for (const id of w.B.ids)
          if (text.includes(id)) problems.push(`${op} as ${role}: answer contains B's id ${id}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('records every admin mutation in the audit log, once, in the org it concerns', async () => {
    const problems: string[] = [];
    for (const [op, c] of Object.entries(cases)) {
      // Data-plane traffic (usage, heartbeats) is data, not an administrative change.
      const scope = scopeOf(op, c);
      if (!op.startsWith('Mutation.') || scope === 'data-plane') continue;
      const call = await c.build(w, w.A);
      let token = call.token ?? (scope === 'self' ? w.tokens.orgAdmin : w.tokens.platform);
      if (op === 'Mutation.logout') token = await freshLogin(t.app, w.logins.orgAdmin);
      const [{ last }] = await t.db.query('select coalesce(max(id), 0)::bigint as last from audit_events');
      const r = await t.app.gql(call.query, call.variables, token);
      if (r.errors) {
        problems.push(`${op}: ${JSON.stringify(r.errors)}`);
        continue;
      }
      const events = await t.db.query('select action, org_id from audit_events where id > $1', [last]);
      if (events.length !== 1) problems.push(`${op}: ${events.length} audit events (${events.map((e) => e.action)})`);
      else if (scope === 'org-write' && events[0].org_id !== w.A.id) {
        problems.push(`${op}: audited in org ${events[0].org_id}, not in the org it changed`);
      }
    }
    expect(problems).toEqual([]);
  });

  for (const [op, c] of Object.entries(subscriptionCases)) {
    const field = op.split('.')[1];
    const scope = scopeOf(op, c);
    it(`${op} (${scope}, over graphql-ws)`, async () => {
      const problems: string[] = [];
      const targets: ('A' | 'B')[] = scope === 'org-read' || scope === 'org-write' ? ['A', 'B'] : ['A'];
      for (const role of roles) {
        for (const target of targets) {
          const org = w[target];
          const call = await c.build(w, org);
          const r = await firstResult(c, call, call.token ?? w.tokens[role], org);
          const out = outcomeOf(field, r as never);
          const want = expected(scope, role, target, true);
          const label = `${role} on ${target}`;
          if (out.detail.startsWith('UNEXPECTED')) problems.push(`${label}: ${out.detail}`);
          else if (out.allowed !== want)
            problems.push(
              `${label}: ${out.allowed ? 'allowed' : `refused (${out.detail})`}, expected ${want ? 'allowed' : 'refused'}`,
            );
          if (orgRoles.has(role) && out.allowed) {
            const text = JSON.stringify(r.data);
            for (const id of w.B.ids) if (text.includes(id)) problems.push(`${label}: message contains B's id ${id}`);
          }
        }
      }
      expect(problems).toEqual([]);
    }, 60_000);
  }
});
