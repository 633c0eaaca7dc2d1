// Data-plane node status: heartbeats upserted by node id, listed with liveness and version lag.
import { nodeStatusReport } from '@gw/schema';
import type { Em } from '../../db/orm.ts';
import { badInput } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { containsPattern, type ListSource, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { DataPlaneNode, type DataPlaneNodeFilter, FleetSync, type SyncState } from './node.type.ts';

/** Data planes report every 10 s; three missed reports mean the node is gone (OFFLINE). */
export const connectedWindowMs = 30_000;

/** A node's sync state, in SQL over `n` (data_plane_nodes) and `s` (config_state), as of `now`. */
const syncStateSql = (now: Date) => `case
    when n.last_seen_at <= '${now.toISOString()}'::timestamptz - make_interval(secs => ${connectedWindowMs / 1000}) then 'OFFLINE'
    when n.refused_reason is not null then 'REFUSED'
    when n.last_rejected is not null then 'REJECTING'
    when n.applied_version = s.version then 'IN_SYNC'
    else 'LAGGING' end`;

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
  protocol: number | null;
  last_rejected: { version: number | null; hash: string | null; reason: string; at: string } | null;
  refused_reason: string | null;
  sync_state: SyncState;
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
                                     usage_backlog, usage_dead_letter_records, usage_last_dead_letter_at,
                                     protocol, last_rejected)
       values (?, ?, ?, ?, ?, ?, now(), ?, ?, ?, ?, ?::jsonb)
       on conflict (node_id) do update set
         applied_version = excluded.applied_version, applied_hash = excluded.applied_hash,
         source = excluded.source, version = excluded.version,
         started_at = excluded.started_at, last_seen_at = excluded.last_seen_at,
         usage_backlog = excluded.usage_backlog, usage_dead_letter_records = excluded.usage_dead_letter_records,
         usage_last_dead_letter_at = excluded.usage_last_dead_letter_at,
         protocol = coalesce(excluded.protocol, data_plane_nodes.protocol), last_rejected = excluded.last_rejected`,
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
        r.protocol ?? null,
        r.lastRejected ? JSON.stringify(r.lastRejected) : null,
      ],
    );
  }

  /** configSync refused the node (its protocol): kept on the node until a subscription succeeds. */
  async refused(nodeId: string, protocol: number, reason: string): Promise<void> {
    await this.#em.execute(
      `insert into data_plane_nodes (node_id, last_seen_at, protocol, refused_reason, refused_at)
       values (?, now(), ?, ?, now())
       on conflict (node_id) do update set protocol = excluded.protocol, refused_reason = excluded.refused_reason,
         refused_at = excluded.refused_at`,
      [nodeId, protocol, reason],
    );
  }

  /** configSync accepted the node: a refusal recorded earlier no longer stands. */
  async subscribed(nodeId: string, protocol: number): Promise<void> {
    await this.#em.execute(
      `update data_plane_nodes set protocol = ?, refused_reason = null, refused_at = null
        where node_id = ? and (refused_reason is not null or protocol is distinct from ?)`,
      [protocol, nodeId, protocol],
    );
  }

  /** How many data planes have caught up with the current config version, and why the others have not. */
  async fleetSync(now = new Date()): Promise<FleetSync> {
    const rows = await this.#em.execute<{ state: SyncState; n: string; version: string }[]>(
      `select case when n.node_id is null then null else ${syncStateSql(now)} end as state, count(*) as n, s.version
         from config_state s left join data_plane_nodes n on true
        group by 1, s.version`,
    );
    const count = (state: SyncState) => Number(rows.find((r) => r.state === state)?.n ?? 0);
    return Object.assign(new FleetSync(), {
      configVersion: Number(rows[0]?.version ?? 0),
      nodes: rows.reduce((sum, r) => sum + (r.state ? Number(r.n) : 0), 0),
      inSync: count('IN_SYNC'),
      lagging: count('LAGGING'),
      rejecting: count('REJECTING'),
      refused: count('REFUSED'),
      offline: count('OFFLINE'),
    });
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
              to_json(n.usage_last_dead_letter_at) #>> '{}' as usage_last_dead_letter_at,
              n.protocol, n.last_rejected, n.refused_reason, ${syncStateSql(now)} as sync_state`,
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
        protocol: r.protocol,
        lastRejected: r.last_rejected && {
          version: r.last_rejected.version,
          hash: r.last_rejected.hash,
          reason: r.last_rejected.reason,
          at: new Date(r.last_rejected.at),
        },
        refusedReason: r.refused_reason,
        syncState: r.sync_state,
      }),
    );
  }
}
