// The data-plane fleet: each node's applied config against the version the control plane publishes, and how many
// of all the nodes are connected (whatever the list's filter).
import { graphql } from '../generated';

export const PlatformFleetQuery = graphql(`
  query PlatformFleet($filter: DataPlaneNodeFilter, $first: Int, $after: String, $last: Int, $before: String) {
    configState { version hash }
    allNodes: dataPlaneNodes(first: 1) { totalCount }
    connectedNodes: dataPlaneNodes(filter: { connected: true }, first: 1) { totalCount }
    dataPlaneNodes(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        nodeId
        appliedVersion
        appliedHash
        source
        version
        startedAt
        lastSeenAt
        connected
        lagVersions
        usageBacklog
        usageDeadLetterRecords
        usageLastDeadLetterAt
        syncState
        refusedReason
        lastRejected { version reason at }
      }
    }
  }
`);
