// Reads the audit log: one org's events or every event, newest first, filtered and keyset-paginated by id.
import type { Em } from '../../db/orm.ts';
import { badInput } from '../../errors.ts';
import {
  type ConnectionShape,
  decodeCursor,
  type PageArgs,
  pageWindow,
  sqlConnection,
} from '../../graphql/connection.ts';
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

function cursorId(field: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const [id] = decodeCursor(cursor);
  if (typeof id !== 'string' || !/^\d+$/.test(id)) throw badInput(field, `${field} is not a cursor of this list`);
  return id;
}

export class AuditService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `orgId` undefined = every event (platform); a string = that org's events only. */
  async list(
    orgId: string | undefined,
    filter: AuditEventFilter | null,
    args: PageArgs,
  ): Promise<ConnectionShape<AuditEvent>> {
    const window = pageWindow(args, 1);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (orgId !== undefined) add('org_id = ?', orgId);
    if (filter?.action) add('action = ?', filter.action);
    if (filter?.targetType) add('target_type = ?', filter.targetType);
    if (filter?.targetId) add('target_id = ?', filter.targetId);
    if (filter?.actorId) add('actor_id = ?', filter.actorId);
    if (filter?.from) add('at >= ?', filter.from);
    if (filter?.to) add('at < ?', filter.to);
    const filtered = where.length ? `where ${where.join(' and ')}` : '';
    const [{ n }] = await this.#em.execute<{ n: string }[]>(
      `select count(*) as n from audit_events ${filtered}`,
      params,
    );

    // Newest first: forward pages walk down the ids, backward pages up. The order names the table's bigint column:
    // a bare `id` would mean the selected text alias, sorting "9" after "10".
    const pageWhere = [...where];
    const pageParams = [...params];
    const after = cursorId('after', window.after);
    const before = cursorId('before', window.before);
    if (after) {
      pageWhere.push('id < ?');
      pageParams.push(after);
    }
    if (before) {
      pageWhere.push('id > ?');
      pageParams.push(before);
    }
    const backward = window.last !== undefined;
    const limit = (window.first ?? window.last ?? 50) + 1;
    const rows = await this.#em.execute<Row[]>(
      `select id::text as id, at, actor_kind, actor_id, actor_label, org_id, action, target_type, target_id, before, after
         from audit_events ${pageWhere.length ? `where ${pageWhere.join(' and ')}` : ''}
        order by audit_events.id ${backward ? 'asc' : 'desc'} limit ?`,
      [...pageParams, limit],
    );
    return sqlConnection(rows, window, Number(n), (r) => [r.id], toEvent);
  }
}
