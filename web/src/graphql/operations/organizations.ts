// Organization operations: the platform's list and lifecycle actions, and one org's summary for its panel (with
// its budget settings and org-level limits, which every budget below the org is held to).
import { graphql } from '../generated';

export const OrganizationsQuery = graphql(`
  query Organizations($filter: OrganizationFilter, $first: Int, $after: String, $last: Int, $before: String) {
    organizations(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        id
        name
        slug
        status
        createdAt
        timeZone
        budgetFailOpen
        users(first: 1) { totalCount }
        virtualKeys(first: 1, filter: { status: ACTIVE }) { totalCount }
        limits { id budgets { period limitUsd spentUsd usedPercent } }
      }
    }
  }
`);

export const CreateOrganizationMutation = graphql(`
  mutation CreateOrganization($input: CreateOrganizationInput!) {
    createOrganization(input: $input) { id name slug timeZone budgetFailOpen }
  }
`);

export const SuspendOrganizationMutation = graphql(`
  mutation SuspendOrganization($id: ID!) {
    suspendOrganization(id: $id) { id status }
  }
`);

export const ReactivateOrganizationMutation = graphql(`
  mutation ReactivateOrganization($id: ID!) {
    reactivateOrganization(id: $id) { id status }
  }
`);

export const DeleteOrganizationMutation = graphql(`
  mutation DeleteOrganization($id: ID!) {
    deleteOrganization(id: $id)
  }
`);

export const OrganizationSummaryQuery = graphql(`
  query OrganizationSummary($id: ID!) {
    organization(id: $id) {
      id
      name
      slug
      status
      createdAt
      timeZone
      budgetFailOpen
      limits { ...ScopeLimitsFields }
      teams(first: 1) { totalCount }
      users(first: 1) { totalCount }
      virtualKeys(first: 1, filter: { status: ACTIVE }) { totalCount }
      modules(first: 1) { totalCount }
    }
  }
`);

export const UpdateOrganizationMutation = graphql(`
  mutation UpdateOrganization($id: ID!, $input: UpdateOrganizationInput!) {
    updateOrganization(id: $id, input: $input) { id name slug timeZone budgetFailOpen }
  }
`);
