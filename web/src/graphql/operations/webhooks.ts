// Webhook endpoints (an org's, or the platform's with orgId null), their recent deliveries, and budget alerts with
// their live feed.
import { graphql } from '../generated';

export const WebhookEndpointsQuery = graphql(`
  query WebhookEndpoints($orgId: ID) {
    webhookEndpoints(orgId: $orgId) { id orgId url description enabled secretHint createdAt secretRotatedAt }
  }
`);

export const WebhookDeliveriesQuery = graphql(`
  query WebhookDeliveries($endpointId: ID!) {
    webhookDeliveries(endpointId: $endpointId, limit: 50) {
      id alertId status attempt lastStatus lastError lastAttemptAt nextAttemptAt deliveredAt createdAt
    }
  }
`);

export const CreateWebhookEndpointMutation = graphql(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) { secret endpoint { id url secretHint } }
  }
`);

export const UpdateWebhookEndpointMutation = graphql(`
  mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) { id url description enabled }
  }
`);

export const DeleteWebhookEndpointMutation = graphql(`
  mutation DeleteWebhookEndpoint($id: ID!) {
    deleteWebhookEndpoint(id: $id) { id url }
  }
`);

export const RotateWebhookSecretMutation = graphql(`
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) { secret endpoint { id secretHint secretRotatedAt } }
  }
`);

export const BudgetAlertsQuery = graphql(`
  query BudgetAlerts($orgId: ID, $first: Int, $after: String, $last: Int, $before: String) {
    budgetAlerts(orgId: $orgId, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        id orgId orgName kind scope scopeId scopeName period periodStart threshold spentUsd limitUsd uncheckedRecords
        message raisedAt
      }
    }
  }
`);

export const BudgetAlertRaisedSubscription = graphql(`
  subscription BudgetAlertRaised($orgId: ID) {
    budgetAlertRaised(orgId: $orgId) {
      id orgId orgName kind scope scopeId scopeName period periodStart threshold spentUsd limitUsd uncheckedRecords
      message raisedAt
    }
  }
`);
