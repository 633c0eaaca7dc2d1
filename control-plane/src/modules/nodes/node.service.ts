// Data-plane node status: heartbeats upserted by node id, listed with liveness and version lag.
import { nodeStatusReport } from '@gw/schema';
import type { Em } from '../../db/orm.ts';
import { badInput } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { containsPattern, type ListSource, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { DataPlaneNode, type DataPlaneNodeFilter } from './node.type.ts';

/** Data planes report every 10 s; three missed reports mean the node is gone. */
export const connectedWindowMs = 30_000;

interface NodeRow {
  node_id: string;
  applied_version: string | null;
  applied_hash: string | null;
  source: string | null;
  version: string | null;
  started_at: string | null;
  last_seen_at: string;
  current_version: string;
  usage_backlog: string | null;
  usage_dead_letter_records: string | null;
  usage_last_dead_letter_at: string | null;
}

export class NodeService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  async report(input: unknown): Promise<void> {
    const parsed = nodeStatusReport.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = ['input', ...issue.path.map(String)].join('.');
      throw badInput(path, `Invalid node status at ${path}: ${issue.message}`);
    }
    const r = parsed.data;
    await this.#em.execute(
      `insert into data_plane_nodes (node_id, applied_version, applied_hash, source, version, started_at, last_seen_at,
                                     usage_backlog, usage_dead_letter_records, usage_last_dead_letter_at)
       values (?, ?, ?, ?, ?, ?, now(), ?, ?, ?)
       on conflict (node_id) do update set
         applied_version = excluded.applied_version, applied_hash = excluded.applied_hash,
         source = excluded.source, version = excluded.version,
         started_at = excluded.started_at, last_seen_at = excluded.last_seen_at,
         usage_backlog = excluded.usage_backlog, usage_dead_letter_records = excluded.usage_dead_letter_records,
         usage_last_dead_letter_at = excluded.usage_last_dead_letter_at`,
      [
        r.nodeId,
        r.appliedVersion,
        r.appliedHash,
        r.source,
        r.version,
        r.startedAt,
        r.usage?.backlog ?? null,
        r.usage?.deadLetterRecords ?? null,
        r.usage?.lastDeadLetterAt ?? null,
      ],
    );
  }

  /** The fleet by node id, filtered (connected or not, part of the id), keyset-paginated by node id. */
  list(filter: DataPlaneNodeFilter | null, page: PageArgs, now = new Date()): Promise<ConnectionShape<DataPlaneNode>> {
    const where: Sql[] = [];
    if (filter?.connected !== undefined && filter.connected !== null) {
      where.push(
        sql(
          '(n.last_seen_at > ?::timestamptz - make_interval(secs => ?)) = ?',
          now,
          connectedWindowMs / 1000,
          filter.connected,
        ),
      );
    }
    if (filter?.search?.trim()) where.push(sql("n.node_id ilike ? escape '\\'", containsPattern(filter.search.trim())));
    const src: ListSource = {
      from: 'data_plane_nodes n cross join config_state s',
      // Raw queries return timestamps as PostgreSQL text; to_json gives ISO-8601, which Date parses everywhere.
      columns: `n.node_id, n.applied_version, n.applied_hash, n.source, n.version,
              to_json(n.started_at) #>> '{}' as started_at, to_json(n.last_seen_at) #>> '{}' as last_seen_at,
              s.version as current_version, n.usage_backlog, n.usage_dead_letter_records,
              to_json(n.usage_last_dead_letter_at) #>> '{}' as usage_last_dead_letter_at`,
      where,
      keys: [{ expr: 'n.node_id', type: 'text' }],
    };
    return listPage(this.#em, src, page, (r: NodeRow) =>
      Object.assign(new DataPlaneNode(), {
        nodeId: r.node_id,
        appliedVersion: r.applied_version === null ? null : Number(r.applied_version),
        appliedHash: r.applied_hash,
        source: r.source,
        version: r.version,
        startedAt: r.started_at === null ? null : new Date(r.started_at),
        lastSeenAt: new Date(r.last_seen_at),
        connected: now.getTime() - new Date(r.last_seen_at).getTime() <= connectedWindowMs,
        lagVersions: r.applied_version === null ? null : Number(r.current_version) - Number(r.applied_version),
        usageBacklog: r.usage_backlog === null ? null : Number(r.usage_backlog),
        usageDeadLetterRecords: r.usage_dead_letter_records === null ? null : Number(r.usage_dead_letter_records),
        usageLastDeadLetterAt: r.usage_last_dead_letter_at === null ? null : new Date(r.usage_last_dead_letter_at),
      }),
    );
  }
}
