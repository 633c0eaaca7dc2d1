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

/** Without a period: the org's last complete billing period. */
export const PlatformBillingExportQuery = graphql(`
  query PlatformBillingExport($orgId: ID!, $period: String) {
    billingExport(orgId: $orgId, period: $period) {
      filename
      csv
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
