// Billing configuration (platform admins): the platform default, each org's own settings, and the CSV export.
import { graphql } from '../generated';

export const PlatformDefaultBillingQuery = graphql(`
  query PlatformDefaultBilling {
    defaultBillingSettings { source markupPercent currency exchangeRate periodAnchorDay updatedAt updatedBy }
  }
`);

export const PlatformOrgBillingQuery = graphql(`
  query PlatformOrgBilling($orgId: ID!) {
    billingSettings(orgId: $orgId) {
      orgId
      source
      markupPercent
      currency
      exchangeRate
      periodAnchorDay
      updatedAt
      updatedBy
    }
  }
`);

export const PlatformSetDefaultBillingMutation = graphql(`
  mutation PlatformSetDefaultBilling($input: BillingSettingsInput!) {
    setDefaultBillingSettings(input: $input) { source markupPercent currency exchangeRate periodAnchorDay updatedAt }
  }
`);

export const PlatformSetOrgBillingMutation = graphql(`
  mutation PlatformSetOrgBilling($orgId: ID!, $input: BillingSettingsInput!) {
    setBillingSettings(orgId: $orgId, input: $input) { source markupPercent currency exchangeRate periodAnchorDay }
  }
`);

export const PlatformResetOrgBillingMutation = graphql(`
  mutation PlatformResetOrgBilling($orgId: ID!) {
    resetBillingSettings(orgId: $orgId) { source }
  }
`);

/** The organizations whose settings the billing page lists (their effective settings load per row). */
export const PlatformBillingOrgsQuery = graphql(`
  query PlatformBillingOrgs($filter: OrganizationFilter, $first: Int, $after: String, $last: Int, $before: String) {
    organizations(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id name slug status }
    }
  }
`);

/**
 * What an export holds, without its text (the file itself is downloaded from GET /export/usage.csv): a `period`
 * (YYYY-MM), or `from` and `to`, or neither for the org's last complete billing period.
 */
export const PlatformBillingExportSummaryQuery = graphql(`
  query PlatformBillingExportSummary($orgId: ID!, $period: String, $from: DateTime, $to: DateTime) {
    billingExport(orgId: $orgId, period: $period, from: $from, to: $to) {
      filename
      lineCount
      period
      from
      to
      currency
      markupPercent
      exchangeRate
      totalBilledAmount
      totalProviderCostUsd
    }
  }
`);
