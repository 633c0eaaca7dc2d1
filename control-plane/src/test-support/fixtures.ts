// GraphQL helpers that create common test data through the public API.
import type { TestApp } from './test-app.ts';

export async function must<T>(p: Promise<{ data?: T | null; errors?: unknown[] }>): Promise<T> {
  const r = await p;
  if (r.errors?.length || !r.data) throw new Error(`GraphQL failed: ${JSON.stringify(r.errors)}`);
  return r.data;
}

export async function createOrg(app: TestApp, name = 'Acme', slug?: string): Promise<string> {
  const d = await must<{ createOrganization: { id: string } }>(
    app.gql('mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { id } }', { i: { name, slug } }),
  );
  return d.createOrganization.id;
}

export async function createTeam(app: TestApp, orgId: string, name = 'Core'): Promise<string> {
  const d = await must<{ createTeam: { id: string } }>(
    app.gql('mutation($i: CreateTeamInput!) { createTeam(input: $i) { id } }', { i: { orgId, name } }),
  );
  return d.createTeam.id;
}

export async function createUser(app: TestApp, orgId: string, email: string, teamIds: string[] = []): Promise<string> {
  const d = await must<{ createUser: { id: string } }>(
    app.gql('mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', { i: { orgId, email, teamIds } }),
  );
  return d.createUser.id;
}

/** A key; without an owner it gets a team of its own (every key is owned by a user or a team). */
export async function createKey(
  app: TestApp,
  input: { orgId: string; teamId?: string; userId?: string; name?: string; moduleId?: string },
): Promise<{ id: string; secret: string }> {
  const owner =
    input.teamId || input.userId ? {} : { teamId: await createTeam(app, input.orgId, `owner-${Math.random()}`) };
  const d = await must<{ createVirtualKey: { virtualKey: { id: string }; secret: string } }>(
    app.gql('mutation($i: CreateVirtualKeyInput!) { createVirtualKey(input: $i) { virtualKey { id } secret } }', {
      i: { name: 'key', ...owner, ...input },
    }),
  );
  return { id: d.createVirtualKey.virtualKey.id, secret: d.createVirtualKey.secret };
}

export async function createCredentialAndModel(
  app: TestApp,
  name = 'gpt-4o-mini',
): Promise<{ credentialId: string; modelId: string }> {
  const c = await must<{ createProviderCredential: { id: string } }>(
    app.gql('mutation($i: CreateProviderCredentialInput!) { createProviderCredential(input: $i) { id } }', {
      i: {
        name: `cred-${name}`,
        provider: 'OPENAI',
        baseUrl: 'http://127.0.0.1:9/v1',
        apiKey: 'sk-upstream-secret-1234',
      },
    }),
  );
  const m = await must<{ createModel: { id: string } }>(
    app.gql('mutation($i: CreateModelInput!) { createModel(input: $i) { id } }', {
      i: {
        name,
        deployments: [{ credentialId: c.createProviderCredential.id, upstreamModel: name }],
        inputPricePerMTok: 0.15,
        outputPricePerMTok: 0.6,
        cachedInputPricePerMTok: 0.075,
      },
    }),
  );
  return { credentialId: c.createProviderCredential.id, modelId: m.createModel.id };
}
