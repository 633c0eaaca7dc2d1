// Budgets and rate limits: every scope's limits in one org, one scope's, the data planes' leases, orgs near or over
// their budgets (platform), and setting, removing or restarting a scope's limits.
import { graphql } from '../generated';

/** What the pages show of one scope's limits (budgets with their current period, rpm, tpm, alert thresholds). */
export const ScopeLimitsFields = graphql(`
  fragment ScopeLimitsFields on ScopeLimits {
    id
    orgId
    scope
    scopeId
    scopeName
    rpm
    tpm
    alertThresholds
    updatedAt
    budgets { period limitUsd spentUsd reservedUsd remainingUsd usedPercent periodStart resetsAt }
  }
`);

export const OrgLimitsQuery = graphql(`
  query OrgLimits($orgId: ID!) {
    limits(orgId: $orgId) { ...ScopeLimitsFields }
  }
`);

export const ScopeLimitsQuery = graphql(`
  query ScopeLimits($orgId: ID!, $scope: LimitScope!, $scopeId: ID!) {
    scopeLimits(orgId: $orgId, scope: $scope, scopeId: $scopeId) { ...ScopeLimitsFields }
  }
`);

export const BudgetLeasesQuery = graphql(`
  query BudgetLeases($orgId: ID!) {
    budgetLeases(orgId: $orgId) {
      limitId scope scopeId period periodStart nodeId bootId grantedUsd returnedUsd spentUsd heldUsd lastSeenAt expired
    }
  }
`);

export const LimitsNearOrOverQuery = graphql(`
  query LimitsNearOrOver($minPercent: Float!) {
    limitsNearOrOver(minPercent: $minPercent) { ...ScopeLimitsFields }
  }
`);

export const SetLimitsMutation = graphql(`
  mutation SetLimits($orgId: ID!, $scope: LimitScope!, $scopeId: ID!, $input: LimitsInput!) {
    setLimits(orgId: $orgId, scope: $scope, scopeId: $scopeId, input: $input) { ...ScopeLimitsFields }
  }
`);

export const RemoveLimitsMutation = graphql(`
  mutation RemoveLimits($orgId: ID!, $scope: LimitScope!, $scopeId: ID!) {
    removeLimits(orgId: $orgId, scope: $scope, scopeId: $scopeId)
  }
`);

export const ResetBudgetPeriodMutation = graphql(`
  mutation ResetBudgetPeriod($orgId: ID!, $scope: LimitScope!, $scopeId: ID!, $period: BudgetPeriod!) {
    resetBudgetPeriod(orgId: $orgId, scope: $scope, scopeId: $scopeId, period: $period) { ...ScopeLimitsFields }
  }
`);

/** What budgets count, platform-wide: provider cost, or billed cost (provider cost with each org's markup). */
export const BudgetBasisQuery = graphql(`
  query BudgetBasis {
    budgetBasis
  }
`);

export const SetBudgetBasisMutation = graphql(`
  mutation SetBudgetBasis($basis: BudgetBasis!) {
    setBudgetBasis(basis: $basis)
  }
`);
