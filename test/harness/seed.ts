// Seeds a tenant through GraphQL as admin: a credential on the fixture server, models, org, team, user and a key.
import type { Gql } from './gql.ts';

/** One weighted route of a model; the credential defaults to the seeded fixture credential. */
export interface DeploymentSpec {
  credentialId?: string;
  upstreamModel: string;
  weight?: number;
}

export interface ModelSpec {
  /** Public name callers use. */
  name: string;
  /**
   * Model name sent to the fixture, directives included (e.g. `fixture-model@status=500`): one deployment of
   * weight 1 on the seeded credential. Give `deployments` instead for several.
   */
  upstreamModel?: string;
  deployments?: DeploymentSpec[];
  inputPricePerMTok?: number;
  outputPricePerMTok?: number;
  cachedInputPricePerMTok?: number;
}

/** A key is owned by a user (teamId then optionally one of their teams) or by a team (teamId alone). */
export interface KeySpec {
  orgId: string;
  teamId?: string | null;
  userId?: string | null;
  /** A module enabled for the org; the key's requests are attributed to it. */
  moduleId?: string | null;
  name: string;
  allowedModels?: string[] | null;
  expiresAt?: string | null;
}

export interface CreatedKey {
  id: string;
  secret: string;
  prefix: string;
}

export interface Seeded {
  credentialId: string;
  /** Public model name -> model id. */
  models: Record<string, string>;
  org: { id: string; name: string };
  team: { id: string };
  user: { id: string };
  /** The seeded user's key, attributed to the seeded team (every model allowed). */
  key: CreatedKey;
}

export const defaultModels: ModelSpec[] = [
  { name: 'gpt-fixture', upstreamModel: 'fixture-model', inputPricePerMTok: 1, outputPricePerMTok: 2 },
];

export async function createKey(admin: Gql, spec: KeySpec): Promise<CreatedKey> {
  const { createVirtualKey } = await admin<{
    createVirtualKey: { secret: string; virtualKey: { id: string; prefix: string } };
  }>(
    `mutation ($input: CreateVirtualKeyInput!) {
      createVirtualKey(input: $input) { secret virtualKey { id prefix } }
    }`,
    { input: spec },
  );
  return {
    id: createVirtualKey.virtualKey.id,
    prefix: createVirtualKey.virtualKey.prefix,
    secret: createVirtualKey.secret,
  };
}

/** A new secret for the key; the old one keeps working until `previousSecretValidUntil` (ISO), if given. */
export async function rotateKey(admin: Gql, id: string, previousSecretValidUntil?: string): Promise<CreatedKey> {
  const { rotateVirtualKey } = await admin<{
    rotateVirtualKey: { secret: string; virtualKey: { id: string; prefix: string } };
  }>(
    `mutation ($id: ID!, $until: DateTime) {
      rotateVirtualKey(id: $id, previousSecretValidUntil: $until) { secret virtualKey { id prefix } }
    }`,
    { id, until: previousSecretValidUntil ?? null },
  );
  return { id, prefix: rotateVirtualKey.virtualKey.prefix, secret: rotateVirtualKey.secret };
}

/** A catalogue module, enabled for `orgId` (optionally restricted to some models). Returns the module's id. */
export async function createModule(
  admin: Gql,
  spec: { key: string; name?: string; orgId?: string; allowedModels?: string[] | null },
): Promise<string> {
  const { createModule } = await admin<{ createModule: { id: string } }>(
    'mutation ($input: CreateModuleInput!) { createModule(input: $input) { id } }',
    { input: { key: spec.key, name: spec.name ?? spec.key } },
  );
  if (spec.orgId) {
    await admin('mutation ($input: ModuleEnablementInput!) { enableModule(input: $input) { id } }', {
      input: { orgId: spec.orgId, moduleId: createModule.id, allowedModels: spec.allowedModels ?? null },
    });
  }
  return createModule.id;
}

export async function revokeKey(admin: Gql, id: string): Promise<void> {
  await admin(`mutation ($id: ID!) { revokeVirtualKey(id: $id) { id status } }`, { id });
}

export async function createModel(admin: Gql, credentialId: string, m: ModelSpec): Promise<string> {
  const deployments = m.deployments ?? (m.upstreamModel !== undefined ? [{ upstreamModel: m.upstreamModel }] : []);
  if (deployments.length === 0) throw new Error(`model ${m.name}: give upstreamModel or deployments`);
  const { createModel } = await admin<{ createModel: { id: string } }>(
    `mutation ($input: CreateModelInput!) { createModel(input: $input) { id } }`,
    {
      input: {
        name: m.name,
        deployments: deployments.map((d) => ({
          credentialId: d.credentialId ?? credentialId,
          upstreamModel: d.upstreamModel,
          weight: d.weight ?? 1,
        })),
        inputPricePerMTok: m.inputPricePerMTok ?? 1,
        outputPricePerMTok: m.outputPricePerMTok ?? 2,
        cachedInputPricePerMTok: m.cachedInputPricePerMTok ?? m.inputPricePerMTok ?? 1,
      },
    },
  );
  return createModel.id;
}

export async function seed(
  admin: Gql,
  opts: { fixtureUrl: string; fixtureApiKey: string; models?: ModelSpec[]; orgName?: string },
): Promise<Seeded> {
  const { createProviderCredential } = await admin<{ createProviderCredential: { id: string } }>(
    `mutation ($input: CreateProviderCredentialInput!) { createProviderCredential(input: $input) { id } }`,
    { input: { name: 'fixture', provider: 'OPENAI', baseUrl: opts.fixtureUrl, apiKey: opts.fixtureApiKey } },
  );
  const credentialId = createProviderCredential.id;
  const models: Record<string, string> = {};
  for (const m of opts.models ?? defaultModels) models[m.name] = await createModel(admin, credentialId, m);

  const orgName = opts.orgName ?? 'Acme Test';
  const { createOrganization: org } = await admin<{ createOrganization: { id: string; name: string } }>(
    `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name } }`,
    { input: { name: orgName } },
  );
  const { createTeam: team } = await admin<{ createTeam: { id: string } }>(
    `mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }`,
    { input: { orgId: org.id, name: 'Core' } },
  );
  const { createUser: user } = await admin<{ createUser: { id: string } }>(
    `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`,
    { input: { orgId: org.id, email: 'dev@acme.test', name: 'Dev', teamIds: [team.id] } },
  );
  const key = await createKey(admin, { orgId: org.id, teamId: team.id, userId: user.id, name: 'default' });
  return { credentialId, models, org, team, user, key };
}
