// The audit log, newest first, with who, when, what and the state before and after (secrets masked by the API):
// `orgId` null reads every event (platform admins), an id that org's events (its admins and viewers).
import { graphql } from '../generated';

export const AuditEventsQuery = graphql(`
  query AuditEvents($orgId: ID, $filter: AuditEventFilter, $first: Int, $after: String, $last: Int, $before: String) {
    auditEvents(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
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
