// The teams of one org and their membership: list, one team with its members, create, rename, suspend, delete,
// add and remove members.
import { graphql } from '../generated';

export const OrgTeamsQuery = graphql(`
  query OrgTeams($orgId: ID!, $filter: TeamFilter, $first: Int, $after: String, $last: Int, $before: String) {
    teams(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        id
        name
        status
        createdAt
        members(first: 1) { totalCount }
        virtualKeys(first: 1, filter: { status: ACTIVE }) { totalCount }
      }
    }
  }
`);

/** A few teams matching a search, for pickers (a user's teams, a key's owner). */
export const OrgTeamOptionsQuery = graphql(`
  query OrgTeamOptions($orgId: ID!, $filter: TeamFilter, $first: Int) {
    teams(orgId: $orgId, filter: $filter, first: $first) {
      nodes { id name status }
    }
  }
`);

export const OrgTeamQuery = graphql(`
  query OrgTeam($id: ID!) {
    team(id: $id) {
      id
      orgId
      name
      status
      createdAt
      members(first: 1) { totalCount }
      virtualKeys(first: 1, filter: { status: ACTIVE }) { totalCount }
      limits { ...ScopeLimitsFields }
    }
  }
`);

/** One page of a team's members (each with the number of teams they are in: users may belong to several). */
export const OrgTeamMembersQuery = graphql(`
  query OrgTeamMembers($id: ID!, $filter: UserFilter, $first: Int, $after: String, $last: Int, $before: String) {
    team(id: $id) {
      id
      members(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        nodes { id email name status teamIds }
      }
    }
  }
`);

export const CreateOrgTeamMutation = graphql(`
  mutation CreateOrgTeam($input: CreateTeamInput!) {
    createTeam(input: $input) { id name }
  }
`);

export const UpdateOrgTeamMutation = graphql(`
  mutation UpdateOrgTeam($id: ID!, $input: UpdateTeamInput!) {
    updateTeam(id: $id, input: $input) { id name }
  }
`);

export const SuspendOrgTeamMutation = graphql(`
  mutation SuspendOrgTeam($id: ID!) {
    suspendTeam(id: $id) { id status }
  }
`);

export const ReactivateOrgTeamMutation = graphql(`
  mutation ReactivateOrgTeam($id: ID!) {
    reactivateTeam(id: $id) { id status }
  }
`);

export const DeleteOrgTeamMutation = graphql(`
  mutation DeleteOrgTeam($id: ID!) {
    deleteTeam(id: $id)
  }
`);

export const AddOrgTeamMemberMutation = graphql(`
  mutation AddOrgTeamMember($teamId: ID!, $userId: ID!) {
    addTeamMember(teamId: $teamId, userId: $userId) { user { id teamIds } }
  }
`);

export const RemoveOrgTeamMemberMutation = graphql(`
  mutation RemoveOrgTeamMember($teamId: ID!, $userId: ID!) {
    removeTeamMember(teamId: $teamId, userId: $userId) { user { id teamIds } }
  }
`);
