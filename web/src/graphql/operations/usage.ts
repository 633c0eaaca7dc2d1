// Usage dashboards (an org's, and the platform-wide one): totals, series per bucket, top-N, the live feed, and the
// names behind the ids that usage answers carry (teams, users, keys, modules, orgs).
import { graphql } from '../generated';

export const UsageTotalsQuery = graphql(`
  query UsageTotals($orgId: ID, $from: DateTime!, $to: DateTime!, $filter: UsageFilter) {
    usageTotals(orgId: $orgId, from: $from, to: $to, filter: $filter) {
      requests
      errors
      inputTokens
      outputTokens
      cachedInputTokens
      costUsd
    }
  }
`);

/** One page of points; the dashboard reads every page (they are ordered by bucket, then the grouped values). */
export const UsageSeriesQuery = graphql(`
  query UsageSeries(
    $orgId: ID
    $from: DateTime!
    $to: DateTime!
    $bucket: UsageBucket!
    $groupBy: [UsageDimension!]!
    $filter: UsageFilter
    $first: Int
    $after: String
  ) {
    usageSeries(
      orgId: $orgId
      from: $from
      to: $to
      bucket: $bucket
      groupBy: $groupBy
      filter: $filter
      first: $first
      after: $after
    ) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        bucketStart
        orgId
        teamId
        userId
        keyId
        moduleId
        model
        provider
        requests
        errors
        inputTokens
        outputTokens
        cachedInputTokens
        costUsd
      }
    }
  }
`);

export const UsageTopQuery = graphql(`
  query UsageTop(
    $orgId: ID
    $from: DateTime!
    $to: DateTime!
    $by: UsageDimension!
    $metric: UsageMetric!
    $limit: Int!
    $filter: UsageFilter
  ) {
    usageTop(orgId: $orgId, from: $from, to: $to, by: $by, metric: $metric, limit: $limit, filter: $filter) {
      value
      requests
      errors
      inputTokens
      outputTokens
      cachedInputTokens
      costUsd
    }
  }
`);

/** New usage as it is ingested (about once a second per org); orgId null: every org (platform admins). */
export const UsageUpdatesSubscription = graphql(`
  subscription UsageUpdates($orgId: ID) {
    usageUpdates(orgId: $orgId) {
      orgId
      requests
      errors
      inputTokens
      outputTokens
      cachedInputTokens
      costUsd
      latestAt
    }
  }
`);

export const UsageTeamNameQuery = graphql(`
  query UsageTeamName($id: ID!) {
    team(id: $id) { id orgId name status }
  }
`);

export const UsageUserNameQuery = graphql(`
  query UsageUserName($id: ID!) {
    user(id: $id) { id orgId email name status }
  }
`);

export const UsageKeyNameQuery = graphql(`
  query UsageKeyName($id: ID!) {
    virtualKey(id: $id) { id orgId name prefix status }
  }
`);

export const UsageModuleNameQuery = graphql(`
  query UsageModuleName($id: ID!) {
    module(id: $id) { id key name }
  }
`);

export const UsageOrgNameQuery = graphql(`
  query UsageOrgName($id: ID!) {
    organization(id: $id) { id name slug }
  }
`);
