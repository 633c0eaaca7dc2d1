// GraphQL helpers for admins and the API tokens made for them, through the public API as the platform admin.
import { must } from './fixtures.ts';
import type { TestApp } from './test-app.ts';

const password = 'a long enough password';

export interface AdminSession {
  id: string;
  /** A login session token of the admin. */
  session: string;
}

/** An admin of `orgId` with a login session. */
export async function createOrgAdmin(
  app: TestApp,
  orgId: string,
  email: string,
  role = 'ORG_ADMIN',
): Promise<AdminSession> {
  const made = await must<{ createAdminUser: { id: string } }>(
    app.gql('mutation($i: CreateAdminUserInput!) { createAdminUser(input: $i) { id } }', {
      i: { email, password, role, orgId },
    }),
  );
  const login = await must<{ login: { token: string } }>(
    app.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
      e: email,
      p: password,
    }),
  );
  return { id: made.createAdminUser.id, session: login.login.token };
}

/** A new API token of `role` for `orgId`, created with the credential `by`. */
export async function mintApiToken(
  app: TestApp,
  by: string,
  orgId: string,
  role = 'ORG_ADMIN',
  expiresAt: string | null = null,
): Promise<{ id: string; token: string }> {
  const r = await must<{ createApiToken: { token: string; apiToken: { id: string } } }>(
    app.gql(
      'mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token apiToken { id } } }',
      { i: { name: `t-${Math.random()}`, role, orgId, expiresAt } },
      by,
    ),
  );
  return { id: r.createApiToken.apiToken.id, token: r.createApiToken.token };
}

/** Updates an admin as the platform admin (role, disabled, name...). */
export function updateAdmin(app: TestApp, id: string, input: Record<string, unknown>): Promise<unknown> {
  return must(
    app.gql('mutation($id: ID!, $i: UpdateAdminUserInput!) { updateAdminUser(id: $id, input: $i) { id } }', {
      id,
      i: input,
    }),
  );
}
