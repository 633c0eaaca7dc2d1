// First-start seeding of the quick start: a provider, models, and a demo org/team/user/key, via the public API.
import { graphql } from './graphql.ts';

export interface DemoSeed {
  orgId: string;
  teamId: string;
  userId: string;
  keyId: string;
  /** The demo virtual key's secret: the API shows it only once, so the quick start keeps it. */
  key: string;
  provider: { name: string; baseUrl: string };
}

/** Seeded models with list prices in USD per million tokens (input, output, cached input). */
const demoModels: [string, number, number, number][] = [
  ['gpt-4o-mini', 0.15, 0.6, 0.075],
  ['gpt-4o', 2.5, 10, 1.25],
  ['gpt-4.1-mini', 0.4, 1.6, 0.1],
];

export async function seedDemo(
  gqlUrl: string,
  adminToken: string,
  provider: { name: string; baseUrl: string; apiKey: string },
): Promise<DemoSeed> {
  const q = <T>(query: string, variables?: object) => graphql<T>(gqlUrl, adminToken, query, variables);
  const { createProviderCredential: cred } = await q<{ createProviderCredential: { id: string } }>(
    'mutation($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id } }',
    { i: { name: provider.name, provider: 'OPENAI', baseUrl: provider.baseUrl, apiKey: provider.apiKey } },
  );
  for (const [name, input, output, cached] of demoModels) {
    await q('mutation($i: CreateModelInput!) { createModel(input: $i) { id } }', {
      i: {
        name,
        deployments: [{ credentialId: cred.id, upstreamModel: name }],
        inputPricePerMTok: input,
        outputPricePerMTok: output,
        cachedInputPricePerMTok: cached,
      },
    });
  }
  const { createOrganization: org } = await q<{ createOrganization: { id: string } }>(
    'mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }',
    { i: { name: 'Demo Org', slug: 'demo' } },
  );
  const { createTeam: team } = await q<{ createTeam: { id: string } }>(
    'mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }',
    { i: { orgId: org.id, name: 'Platform' } },
  );
  const { createUser: user } = await q<{ createUser: { id: string } }>(
    'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { orgId: org.id, email: 'demo.user@example.com', name: 'Demo User', teamIds: [team.id] } },
  );
  const { createVirtualKey: vk } = await q<{ createVirtualKey: { virtualKey: { id: string }; secret: string } }>(
    'mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { virtualKey { id } secret } }',
    { i: { orgId: org.id, teamId: team.id, userId: user.id, name: 'demo-key' } },
  );
  return {
    orgId: org.id,
    teamId: team.id,
    userId: user.id,
    keyId: vk.virtualKey.id,
    key: vk.secret,
    provider: { name: provider.name, baseUrl: provider.baseUrl },
  };
}

/**
 * Checks a saved seed against the database the control plane now uses. Returns the seed (with a fresh demo key if
 * its key was revoked), or null when the demo org is not there at all (another database: seed it from scratch).
 */
export async function verifyDemoSeed(gqlUrl: string, adminToken: string, seed: DemoSeed): Promise<DemoSeed | null> {
  const q = <T>(query: string, variables?: object) => graphql<T>(gqlUrl, adminToken, query, variables);
  const { organization: org, virtualKey: key } = await q<{
    organization: { id: string } | null;
    virtualKey: { status: string } | null;
  }>('query($org: ID!, $key: ID!) { organization(id: $org) { id } virtualKey(id: $key) { status } }', {
    org: seed.orgId,
    key: seed.keyId,
  });
  if (!org) return null;
  if (key?.status === 'ACTIVE') return seed;
  const { createVirtualKey: vk } = await q<{ createVirtualKey: { virtualKey: { id: string }; secret: string } }>(
    'mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { virtualKey { id } secret } }',
    { i: { orgId: seed.orgId, teamId: seed.teamId, userId: seed.userId, name: 'demo-key' } },
  );
  return { ...seed, keyId: vk.virtualKey.id, key: vk.secret };
}
