// Virtual keys of one org: list with filters, one key, create (secret once), edit, rotate with a grace period, revoke.
import { graphql } from '../generated';

export const OrgKeysQuery = graphql(`
  query OrgKeys($orgId: ID!, $filter: VirtualKeyFilter, $first: Int, $after: String, $last: Int, $before: String) {
    virtualKeys(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        id
        name
        alias
        prefix
        status
        ownerKind
        allowedModels
        expiresAt
        lastUsedAt
        createdAt
        user { id email name }
        team { id name }
        module { id key name }
      }
    }
  }
`);

export const OrgKeyQuery = graphql(`
  query OrgKey($id: ID!) {
    virtualKey(id: $id) {
      id
      orgId
      name
      alias
      prefix
      previousPrefix
      previousSecretValidUntil
      status
      ownerKind
      allowedModels
      metadata
      expiresAt
      lastUsedAt
      createdAt
      rotatedAt
      revokedAt
      userId
      teamId
      moduleId
      user { id email name teamIds }
      team { id name }
      module { id key name }
      limits { ...ScopeLimitsFields }
    }
  }
`);

export const CreateOrgKeyMutation = graphql(`
  mutation CreateOrgKey($input: CreateVirtualKeyInput!) {
    createVirtualKey(input: $input) {
      secret
      virtualKey { id name prefix }
    }
  }
`);

export const UpdateOrgKeyMutation = graphql(`
  mutation UpdateOrgKey($id: ID!, $input: UpdateVirtualKeyInput!) {
    updateVirtualKey(id: $id, input: $input) { id name }
  }
`);

export const RotateOrgKeyMutation = graphql(`
  mutation RotateOrgKey($id: ID!, $previousSecretValidUntil: DateTime) {
    rotateVirtualKey(id: $id, previousSecretValidUntil: $previousSecretValidUntil) {
      secret
      virtualKey { id name prefix previousPrefix previousSecretValidUntil }
    }
  }
`);

export const RevokeOrgKeyMutation = graphql(`
  mutation RevokeOrgKey($id: ID!) {
    revokeVirtualKey(id: $id) { id status revokedAt }
  }
`);

/** A few keys matching a search (name, alias or prefix), for pickers (the scope of a budget). */
export const OrgKeyOptionsQuery = graphql(`
  query OrgKeyOptions($orgId: ID!, $search: String, $first: Int) {
    virtualKeys(orgId: $orgId, filter: { search: $search }, first: $first) {
      nodes { id name prefix status }
    }
  }
`);
