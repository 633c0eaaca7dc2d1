// Two tenants built through the API, with every kind of caller the isolation matrix runs as: the platform
// (ADMIN_TOKEN), org A's admin and viewer (login sessions), org A's integrator token, and the data plane.
import { must } from './fixtures.ts';
import { adminToken, dataPlaneToken, type TestApp } from './test-app.ts';

export interface OrgWorld {
  name: 'A' | 'B';
  id: string;
  teamId: string;
  userId: string;
  keyId: string;
  adminId: string;
  viewerId: string;
  tokenId: string;
  /** Every id of this org's own resources: none of them may appear in an answer to the other org's callers. */
  ids: string[];
}

export type RoleName = 'platform' | 'orgAdmin' | 'orgViewer' | 'orgAdminToken' | 'dataPlane';

export interface World {
  A: OrgWorld;
  B: OrgWorld;
  credentialId: string;
  modelId: string;
  modelName: string;
  moduleId: string;
  /** Bearer token per role; the org roles belong to org A. */
  tokens: Record<RoleName, string>;
  /** Emails and the password of A's admin users (to log in again). */
  logins: { orgAdmin: string; orgViewer: string; password: string };
  /** Unique suffixes for names created during the run. */
  next(): string;
}

export const password = 'isolation matrix password';

type Gql = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export function platformGql(app: TestApp): Gql {
  return (query, variables) => must(app.gql(query, variables));
}

async function login(app: TestApp, email: string): Promise<string> {
  const r = await must<{ login: { token: string } }>(
    app.gql(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: email, p: password },
      null,
    ),
  );
  return r.login.token;
}

async function buildOrg(app: TestApp, name: 'A' | 'B', moduleId: string, seq: () => string): Promise<OrgWorld> {
  const q = platformGql(app);
  const { createOrganization: org } = await q<{ createOrganization: { id: string } }>(
    'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
    { i: { name: `Tenant ${name}`, slug: `tenant-${name.toLowerCase()}` } },
  );
  const { createTeam: team } = await q<{ createTeam: { id: string } }>(
    'mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }',
    { i: { orgId: org.id, name: 'Core' } },
  );
  const { createUser: user } = await q<{ createUser: { id: string } }>(
    'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { orgId: org.id, email: `dev-${name}@tenant.example`, teamIds: [team.id] } },
  );
  await q('mutation($i: ModuleEnablementInput!) { enableModule(input: $i) { moduleId } }', {
    i: { orgId: org.id, moduleId },
  });
  const { createVirtualKey: key } = await q<{ createVirtualKey: { virtualKey: { id: string } } }>(
    'mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { virtualKey { id } } }',
    { i: { orgId: org.id, userId: user.id, teamId: team.id, name: 'main', moduleId } },
  );
  const admin = async (role: string) =>
    (
      await q<{ createAdminUser: { id: string } }>(
        'mutation($i: CreateAdminUserInput!) { createAdminUser(input: $i) { id } }',
        { i: { email: `${role.toLowerCase()}-${name}@tenant.example`, password, role, orgId: org.id } },
      )
    ).createAdminUser.id;
  const adminId = await admin('ORG_ADMIN');
  const viewerId = await admin('ORG_VIEWER');
  const { createApiToken: token } = await q<{ createApiToken: { apiToken: { id: string } } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { apiToken { id } } }',
    { i: { name: `integration ${seq()}`, role: 'ORG_ADMIN', orgId: org.id } },
  );
  const ids = [org.id, team.id, user.id, key.virtualKey.id, adminId, viewerId, token.apiToken.id];
  return {
    name,
    id: org.id,
    teamId: team.id,
    userId: user.id,
    keyId: key.virtualKey.id,
    adminId,
    viewerId,
    tokenId: token.apiToken.id,
    ids,
  };
}

export async function buildWorld(app: TestApp): Promise<World> {
  let n = 0;
  const next = () => `${++n}`;
  const q = platformGql(app);
  const { createProviderCredential: cred } = await q<{ createProviderCredential: { id: string } }>(
    'mutation($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id } }',
    { i: { name: 'matrix-cred', provider: 'OPENAI', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-matrix-secret' } },
  );
  const modelName = 'matrix-model';
  const { createModel: model } = await q<{ createModel: { id: string } }>(
    'mutation($i: CreateModelInput!) { createModel(input: $i) { id } }',
    {
      i: {
        name: modelName,
        inputPricePerMTok: 1,
        outputPricePerMTok: 2,
        deployments: [{ credentialId: cred.id, upstreamModel: 'up-matrix' }],
      },
    },
  );
  const { createModule: mod } = await q<{ createModule: { id: string } }>(
    'mutation($i: CreateModuleInput!) { createModule(input: $i) { id } }',
    { i: { key: 'matrix-chat', name: 'Matrix chat' } },
  );
  const A = await buildOrg(app, 'A', mod.id, next);
  const B = await buildOrg(app, 'B', mod.id, next);
  const { createApiToken: token } = await q<{ createApiToken: { token: string } }>(
    'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token } }',
    { i: { name: 'matrix A admin token', role: 'ORG_ADMIN', orgId: A.id } },
  );
  const logins = { orgAdmin: 'org_admin-A@tenant.example', orgViewer: 'org_viewer-A@tenant.example', password };
  return {
    A,
    B,
    credentialId: cred.id,
    modelId: model.id,
    modelName,
    moduleId: mod.id,
    tokens: {
      platform: adminToken,
      orgAdmin: await login(app, logins.orgAdmin),
      orgViewer: await login(app, logins.orgViewer),
      orgAdminToken: token.token,
      dataPlane: dataPlaneToken,
    },
    logins,
    next,
  };
}

export async function freshLogin(app: TestApp, email: string): Promise<string> {
  return login(app, email);
}
