// User rules: unique email per org (case-insensitive), team memberships only within the user's org; lifecycle
// (suspend, reactivate, delete) and what it does to the user's keys.
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { byCreation, containsPattern, type ListSource, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { filterId, isUuid, optionalText, requireEmail } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { type CreatedLimits, createdView, writeCreated } from '../limits/created-limits.ts';
import type { EntityStatusValue } from '../organizations/organization.entity.ts';
import { OrganizationService } from '../organizations/organization.service.ts';
import { TeamEntity } from '../teams/team.entity.ts';
import { UserEntity, type UserRecord, UserTeamEntity } from './user.entity.ts';
import type { UserFilter } from './user.input.ts';
import { User } from './user.type.ts';

/** Conditions on `users u` for a filter (deleted users never match). */
export function userConditions(filter: UserFilter | null): Sql[] {
  const where: Sql[] = [sql('u.deleted_at is null')];
  if (filter?.status) where.push(sql('u.status = ?', filter.status));
  if (filter?.search?.trim()) {
    const pattern = containsPattern(filter.search.trim());
    where.push(sql('u.email ilike ? or u.name ilike ?', pattern, pattern));
  }
  const teamId = filterId('filter.teamId', filter?.teamId);
  if (teamId) where.push(sql('exists (select 1 from user_teams m where m.user_id = u.id and m.team_id = ?)', teamId));
  return where;
}

export const userColumns = { columns: 'u.*', keys: byCreation('u.created_at', 'u.id') };

export const userNode = (em: Em) => (row: object) => User.from(em.map(UserEntity, row as never));

const statusVerb = { active: 'reactivate', suspended: 'suspend' } as const;

const userTarget = (user: UserRecord) => ({ type: 'user', id: user.id, orgId: user.orgId });

/** The audited view of a user: its fields and its teams. */
async function audited(em: Em, user: UserRecord): Promise<User & { teamIds: string[] }> {
  const rows = await em.execute<{ team_id: string }[]>(
    `select ut.team_id from user_teams ut join teams t on t.id = ut.team_id
      where ut.user_id = ? and t.deleted_at is null order by ut.team_id`,
    [user.id],
  );
  return Object.assign(User.from(user), { teamIds: rows.map((r) => r.team_id) });
}

export class UserService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `orgId` null = every org (platform admins). */
  list(orgId: string | null, filter: UserFilter | null, page: PageArgs): Promise<ConnectionShape<User>> {
    const where = userConditions(filter);
    if (orgId) where.unshift(sql('u.org_id = ?', orgId));
    const src: ListSource = { from: 'users u', ...userColumns, where };
    return listPage(this.#em, src, page, userNode(this.#em));
  }

  async find(id: string): Promise<UserRecord | null> {
    if (!isUuid(id)) return null;
    return this.#em.findOne(UserEntity, { id, deletedAt: null });
  }

  async create(
    actor: Principal,
    input: { orgId: string; email: string; name?: string | null; teamIds?: string[] | null },
    limits: CreatedLimits | null = null,
  ): Promise<UserRecord> {
    const email = requireEmail('input.email', input.email);
    const name = optionalText('input.name', input.name);
    const teamIds = [...new Set(input.teamIds ?? [])];
    await new OrganizationService(this.#em).require(input.orgId, 'input.orgId');
    await this.#requireTeamsOfOrg(input.orgId, teamIds);
    return auditedChange(this.#em, actor, {
      action: 'user.create',
      mutate: async (em) => {
        await this.#requireFreeEmail(em, input.orgId, email, null);
        // The id is assigned here, not at flush, because the memberships below need it; and the user row is
        // flushed first because the entities declare no relations, so the ORM cannot order the inserts itself.
        const user = em.create(UserEntity, { id: randomUUID(), orgId: input.orgId, email, name });
        await em.flush();
        for (const teamId of teamIds) em.create(UserTeamEntity, { userId: user.id, teamId });
        await writeCreated(em, limits, () => ({ orgId: user.orgId, scope: 'user', scopeId: user.id }));
        return user;
      },
      after: async (em, user) => ({ ...(await audited(em, user)), ...createdView(limits) }),
      target: userTarget,
    });
  }

  async update(
    actor: Principal,
    user: UserRecord,
    input: { email?: string | null; name?: string | null },
  ): Promise<UserRecord> {
    if (input.email === null) throw badInput('input.email', 'email cannot be cleared');
    const email = input.email === undefined ? undefined : requireEmail('input.email', input.email);
    const name = input.name === undefined ? undefined : optionalText('input.name', input.name);
    return auditedChange(this.#em, actor, {
      action: 'user.update',
      lock: (em) => this.#lock(em, user.id),
      before: audited,
      mutate: async (em, locked) => {
        if (email !== undefined && email !== locked.email) {
          await this.#requireFreeEmail(em, locked.orgId, email, locked.id);
          locked.email = email;
        }
        if (name !== undefined) locked.name = name;
        return locked;
      },
      after: audited,
      target: userTarget,
    });
  }

  /** A suspended user's keys stop working on every data plane. */
  async setStatus(actor: Principal, user: UserRecord, status: EntityStatusValue): Promise<UserRecord> {
    return auditedChange(this.#em, actor, {
      action: `user.${statusVerb[status]}`,
      lock: (em) => this.#lock(em, user.id),
      before: (_, locked) => User.from(locked),
      mutate: async (_, locked) => {
        locked.status = status;
        return locked;
      },
      after: (_, locked) => User.from(locked),
      target: userTarget,
    });
  }

  /** Soft delete: the user's keys are revoked; usage history keeps naming the user. */
  async delete(actor: Principal, user: UserRecord): Promise<string> {
    const now = new Date();
    const deleted = await auditedChange(this.#em, actor, {
      action: 'user.delete',
      lock: (em) => this.#lock(em, user.id),
      before: audited,
      mutate: async (em, locked) => {
        locked.deletedAt = now;
        const [{ n: revokedKeys }] = await em.execute<{ n: number }[]>(
          `with d as (update virtual_keys set revoked_at = ? where user_id = ? and revoked_at is null returning 1)
           select count(*)::int as n from d`,
          [now, locked.id],
        );
        return { user: locked, revokedKeys };
      },
      after: (_, { revokedKeys }) => ({ deletedAt: now, revokedKeys }),
      target: ({ user }) => userTarget(user),
    });
    return deleted.user.id;
  }

  async #lock(em: Em, id: string): Promise<UserRecord> {
    const user = await em.findOne(UserEntity, { id, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!user) throw notFound('id', `User ${id} does not exist`);
    return user;
  }

  async #requireFreeEmail(em: Em, orgId: string, email: string, except: string | null): Promise<void> {
    const rows = await em.execute(
      `select 1 from users where org_id = ? and lower(email) = lower(?) and deleted_at is null${except ? ' and id <> ?' : ''}`,
      except ? [orgId, email, except] : [orgId, email],
    );
    if (rows.length) throw conflict('input.email', `A user with email ${email} already exists in this organization`);
  }

  async #requireTeamsOfOrg(orgId: string, teamIds: string[]): Promise<void> {
    if (!teamIds.length) return;
    const malformed = teamIds.find((id) => !isUuid(id));
    const found = malformed
      ? []
      : await this.#em.find(TeamEntity, { id: { $in: teamIds }, orgId, deletedAt: null }, { fields: ['id'] });
    const known = new Set(found.map((t) => t.id));
    const missing = teamIds.filter((id) => !known.has(id));
    if (missing.length) throw badInput('input.teamIds', `Teams not in this organization: ${missing.join(', ')}`);
  }
}
