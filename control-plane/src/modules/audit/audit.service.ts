// Reads the audit log: one org's events or every event, newest first, filtered and keyset-paginated by id.
import type { Em } from '../../db/orm.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { type ListSource, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { AuditActor, AuditEvent, type AuditEventFilter } from './audit.type.ts';

interface Row {
  id: string;
  at: Date;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  org_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  before: unknown;
  after: unknown;
}

function toEvent(r: Row): AuditEvent {
  return Object.assign(new AuditEvent(), {
    id: String(r.id),
    at: new Date(r.at),
    actor: Object.assign(new AuditActor(), { kind: r.actor_kind, id: r.actor_id, label: r.actor_label }),
    orgId: r.org_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: r.before,
    after: r.after,
  });
}

export class AuditService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `orgId` undefined = every event (platform); a string = that org's events only. */
  list(
    orgId: string | undefined,
    filter: AuditEventFilter | null,
    args: PageArgs,
  ): Promise<ConnectionShape<AuditEvent>> {
    const where: Sql[] = [];
    if (orgId !== undefined) where.push(sql('org_id = ?', orgId));
    if (filter?.action) where.push(sql('action = ?', filter.action));
    if (filter?.targetType) where.push(sql('target_type = ?', filter.targetType));
    if (filter?.targetId) where.push(sql('target_id = ?', filter.targetId));
    if (filter?.actorId) where.push(sql('actor_id = ?', filter.actorId));
    if (filter?.from) where.push(sql('at >= ?', filter.from));
    if (filter?.to) where.push(sql('at < ?', filter.to));
    // Newest first. The key names the table's bigint column: a bare `id` would mean the selected text alias,
    // sorting "9" after "10".
    const src: ListSource = {
      from: 'audit_events',
      columns:
        'audit_events.id::text as id, at, actor_kind, actor_id, actor_label, org_id, action, target_type, target_id, before, after',
      where,
      keys: [{ expr: 'audit_events.id', type: 'bigint' }],
      descending: true,
    };
    return listPage(this.#em, src, args, toEvent);
  }
}
