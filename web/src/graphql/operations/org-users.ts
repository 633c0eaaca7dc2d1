// The users of one org (the people or services that call the gateway): list, create, edit, suspend, delete.
import { graphql } from '../generated';

export const OrgUsersQuery = graphql(`
  query OrgUsers($orgId: ID!, $filter: UserFilter, $first: Int, $after: String, $last: Int, $before: String) {
    users(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        id
        email
        name
        status
        createdAt
        teamIds
        virtualKeys(first: 1, filter: { status: ACTIVE }) { totalCount }
      }
    }
  }
`);

/** A few users matching a search, for pickers (key owner, team member). */
export const OrgUserOptionsQuery = graphql(`
  query OrgUserOptions($orgId: ID!, $search: String, $first: Int) {
    users(orgId: $orgId, filter: { search: $search }, first: $first) {
      nodes { id email name status teamIds }
    }
  }
`);

export const OrgUserQuery = graphql(`
  query OrgUser($id: ID!) {
    user(id: $id) {
      id
      orgId
      email
      name
      status
      createdAt
      teamIds
      teams(first: 100) { nodes { id name } }
      limits { ...ScopeLimitsFields }
    }
  }
`);

export const CreateOrgUserMutation = graphql(`
  mutation CreateOrgUser($input: CreateUserInput!) {
    createUser(input: $input) { id email name }
  }
`);

export const UpdateOrgUserMutation = graphql(`
  mutation UpdateOrgUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) { id email name }
  }
`);

export const SuspendOrgUserMutation = graphql(`
  mutation SuspendOrgUser($id: ID!) {
    suspendUser(id: $id) { id status }
  }
`);

export const ReactivateOrgUserMutation = graphql(`
  mutation ReactivateOrgUser($id: ID!) {
    reactivateUser(id: $id) { id status }
  }
`);

export const DeleteOrgUserMutation = graphql(`
  mutation DeleteOrgUser($id: ID!) {
    deleteUser(id: $id)
  }
`);
