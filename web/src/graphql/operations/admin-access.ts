// Who may manage the gateway: admin users (platform admins, org admins, org viewers) and API tokens. One set of
// documents for both panels: `orgId` null lists every admin (platform) or the platform-scoped tokens; an id, that
// org's own.
import { graphql } from '../generated';

export const AdminUsersQuery = graphql(`
  query AdminUsers($orgId: ID, $filter: AdminUserFilter, $first: Int, $after: String, $last: Int, $before: String) {
    adminUsers(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id email name role orgId disabled createdAt }
    }
  }
`);

export const CreateAdminUserMutation = graphql(`
  mutation CreateAdminUser($input: CreateAdminUserInput!) {
    createAdminUser(input: $input) { id email name role orgId }
  }
`);

export const UpdateAdminUserMutation = graphql(`
  mutation UpdateAdminUser($id: ID!, $input: UpdateAdminUserInput!) {
    updateAdminUser(id: $id, input: $input) { id email name role disabled }
  }
`);

export const DeleteAdminUserMutation = graphql(`
  mutation DeleteAdminUser($id: ID!) {
    deleteAdminUser(id: $id)
  }
`);

/**
 * An admin's latest sign-in: the newest `session.login` event of the audit log (readable by whoever may read the
 * admin: platform admins without orgId, the org's admins and viewers with it).
 */
export const AdminLastLoginQuery = graphql(`
  query AdminLastLogin($orgId: ID, $adminId: ID!) {
    auditEvents(orgId: $orgId, filter: { action: "session.login", targetId: $adminId }, first: 1) {
      nodes { id at }
    }
  }
`);

export const ApiTokensQuery = graphql(`
  query ApiTokens($orgId: ID, $filter: ApiTokenFilter, $first: Int, $after: String, $last: Int, $before: String) {
    apiTokens(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id name prefix role orgId status createdAt createdBy expiresAt lastUsedAt revokedAt }
    }
  }
`);

export const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      token
      apiToken { id name prefix role orgId }
    }
  }
`);

export const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) { id status revokedAt }
  }
`);
