// How virtual keys are listed: the SQL conditions of a filter, the columns, and the row-to-node mapping (shared by
// the top-level list and the nested, batched ones).
import type { Em } from '../../db/orm.ts';
import { KeyStatus } from '../../graphql/enums.ts';
import { byCreation, containsPattern, type Sql, sql } from '../../graphql/sql-list.ts';
import { filterId } from '../../graphql/validate.ts';
import { VirtualKeyEntity } from './virtual-key.entity.ts';
import type { VirtualKeyFilter } from './virtual-key.input.ts';
import { KeyOwnerKind, VirtualKey } from './virtual-key.type.ts';

/** Conditions on `virtual_keys k` for a filter; keys of deleted orgs never match. */
export function keyConditions(filter: VirtualKeyFilter | null): Sql[] {
  const where: Sql[] = [sql('exists (select 1 from organizations o where o.id = k.org_id and o.deleted_at is null)')];
  if (filter?.status === KeyStatus.ACTIVE) {
    where.push(sql('k.revoked_at is null and (k.expires_at is null or k.expires_at > now())'));
  } else if (filter?.status === KeyStatus.REVOKED) {
    where.push(sql('k.revoked_at is not null'));
  } else if (filter?.status === KeyStatus.EXPIRED) {
    where.push(sql('k.revoked_at is null and k.expires_at <= now()'));
  }
  if (filter?.search?.trim()) {
    const p = containsPattern(filter.search.trim());
    where.push(sql('k.name ilike ? or k.alias ilike ? or k.prefix ilike ?', p, p, p));
  }
  if (filter?.ownerKind === KeyOwnerKind.USER) where.push(sql('k.user_id is not null'));
  if (filter?.ownerKind === KeyOwnerKind.TEAM) where.push(sql('k.user_id is null'));
  const userId = filterId('filter.userId', filter?.userId);
  if (userId) where.push(sql('k.user_id = ?', userId));
  const teamId = filterId('filter.teamId', filter?.teamId);
  if (teamId) where.push(sql('k.team_id = ?', teamId));
  const moduleId = filterId('filter.moduleId', filter?.moduleId);
  if (moduleId) where.push(sql('k.module_id = ?', moduleId));
  return where;
}

export const keyColumns = { columns: 'k.*', keys: byCreation('k.created_at', 'k.id') };

export const keyNode = (em: Em) => (row: object) => VirtualKey.from(em.map(VirtualKeyEntity, row as never));
