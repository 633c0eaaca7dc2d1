// Who may manage one org: its admin users (admins and viewers) and its API tokens.
import { graphql } from '../generated';

export const OrgAdminUsersQuery = graphql(`
  query OrgAdminUsers($orgId: ID!, $filter: AdminUserFilter, $first: Int, $after: String, $last: Int, $before: String) {
    adminUsers(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id email name role disabled createdAt }
    }
  }
`);

export const CreateOrgAdminUserMutation = graphql(`
  mutation CreateOrgAdminUser($input: CreateAdminUserInput!) {
    createAdminUser(input: $input) { id email role }
  }
`);

export const UpdateOrgAdminUserMutation = graphql(`
  mutation UpdateOrgAdminUser($id: ID!, $input: UpdateAdminUserInput!) {
    updateAdminUser(id: $id, input: $input) { id email name role disabled }
  }
`);

export const DeleteOrgAdminUserMutation = graphql(`
  mutation DeleteOrgAdminUser($id: ID!) {
    deleteAdminUser(id: $id)
  }
`);

export const OrgApiTokensQuery = graphql(`
  query OrgApiTokens($orgId: ID!, $filter: ApiTokenFilter, $first: Int, $after: String, $last: Int, $before: String) {
    apiTokens(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id name prefix role status createdAt createdBy expiresAt lastUsedAt revokedAt }
    }
  }
`);

export const CreateOrgApiTokenMutation = graphql(`
  mutation CreateOrgApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      token
      apiToken { id name prefix }
    }
  }
`);

export const RevokeOrgApiTokenMutation = graphql(`
  mutation RevokeOrgApiToken($id: ID!) {
    revokeApiToken(id: $id) { id status }
  }
`);
