// Platform users (admins of every scope) and API tokens, as the global admin panel manages them.
import { graphql } from '../generated';

export const PlatformAdminUsersQuery = graphql(`
  query PlatformAdminUsers($filter: AdminUserFilter, $first: Int, $after: String, $last: Int, $before: String) {
    adminUsers(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id email name role orgId disabled createdAt }
    }
  }
`);

export const PlatformCreateAdminUserMutation = graphql(`
  mutation PlatformCreateAdminUser($input: CreateAdminUserInput!) {
    createAdminUser(input: $input) { id email role orgId }
  }
`);

export const PlatformUpdateAdminUserMutation = graphql(`
  mutation PlatformUpdateAdminUser($id: ID!, $input: UpdateAdminUserInput!) {
    updateAdminUser(id: $id, input: $input) { id email name role disabled }
  }
`);

export const PlatformDeleteAdminUserMutation = graphql(`
  mutation PlatformDeleteAdminUser($id: ID!) {
    deleteAdminUser(id: $id)
  }
`);

/** Without orgId: the platform-scoped tokens; with it, that org's. */
export const PlatformApiTokensQuery = graphql(`
  query PlatformApiTokens(
    $orgId: ID
    $filter: ApiTokenFilter
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    apiTokens(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id name prefix role orgId status createdAt createdBy expiresAt lastUsedAt revokedAt }
    }
  }
`);

export const PlatformCreateApiTokenMutation = graphql(`
  mutation PlatformCreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      token
      apiToken { id name prefix role orgId }
    }
  }
`);

export const PlatformRevokeApiTokenMutation = graphql(`
  mutation PlatformRevokeApiToken($id: ID!) {
    revokeApiToken(id: $id) { id status revokedAt }
  }
`);
