// One org's audit log, newest first, with its filters.
import { graphql } from '../generated';

export const OrgAuditEventsQuery = graphql(`
  query OrgAuditEvents($orgId: ID!, $filter: AuditEventFilter, $first: Int, $after: String, $last: Int, $before: String) {
    auditEvents(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        id
        at
        action
        targetType
        targetId
        actor { id kind label }
        before
        after
      }
    }
  }
`);
