// The platform-wide audit log: every change, newest first, with who, when, what and the state before and after.
import { graphql } from '../generated';

export const PlatformAuditEventsQuery = graphql(`
  query PlatformAuditEvents($filter: AuditEventFilter, $first: Int, $after: String, $last: Int, $before: String) {
    auditEvents(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        id
        at
        action
        orgId
        targetType
        targetId
        before
        after
        actor { id kind label }
      }
    }
  }
`);
