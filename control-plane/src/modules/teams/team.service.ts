// Team rules: a team lives in an existing org, its name is unique there (case-insensitive); memberships stay inside
// the org; lifecycle (suspend, reactivate, delete) and what it does to the keys of the team.
import { LockMode } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { inChange } from '../../db/transaction.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { containsPattern, type ListSource, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { filterId, isUuid, requireText } from '../../graphql/validate.ts';
import { recordAudit } from '../audit/audit-record.ts';
import type { EntityStatusValue } from '../organizations/organization.entity.ts';
import { OrganizationService } from '../organizations/organization.service.ts';
import { UserEntity, type UserRecord, UserTeamEntity } from '../users/user.entity.ts';
import { TeamEntity, type TeamRecord } from './team.entity.ts';
import type { TeamFilter } from './team.input.ts';
import { Team } from './team.type.ts';

/** Conditions on `teams t` for a filter (deleted teams never match). */
export function teamConditions(filter: TeamFilter | null): Sql[] {
  const where: Sql[] = [sql('t.deleted_at is null')];
  if (filter?.status) where.push(sql('t.status = ?', filter.status));
  if (filter?.search?.trim()) where.push(sql('t.name ilike ?', containsPattern(filter.search.trim())));
  const userId = filterId('filter.userId', filter?.userId);
  if (userId) {
    where.push(sql('exists (select 1 from user_teams m where m.team_id = t.id and m.user_id = ?)', userId));
  }
  return where;
}

export const teamColumns = { columns: 't.*', createdAt: 't.created_at', id: 't.id' } as const;

export const teamNode = (em: Em) => (row: object) => Team.from(em.map(TeamEntity, row as never));

const statusVerb = { active: 'reactivate', suspended: 'suspend' } as const;

export class TeamService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `orgId` null = every org (platform admins). */
  list(orgId: string | null, filter: TeamFilter | null, page: PageArgs): Promise<ConnectionShape<Team>> {
    const where = teamConditions(filter);
    if (orgId) where.unshift(sql('t.org_id = ?', orgId));
    const src: ListSource = { from: 'teams t', ...teamColumns, where };
    return listPage(this.#em, src, page, teamNode(this.#em));
  }

  async find(id: string): Promise<TeamRecord | null> {
    if (!isUuid(id)) return null;
    return this.#em.findOne(TeamEntity, { id, deletedAt: null });
  }

  async create(actor: Principal, input: { orgId: string; name: string }): Promise<TeamRecord> {
    const name = requireText('input.name', input.name);
    await new OrganizationService(this.#em).require(input.orgId, 'input.orgId');
    return inChange(this.#em, true, async (em) => {
      await this.#requireFreeName(em, input.orgId, name, null);
      const team = em.create(TeamEntity, { orgId: input.orgId, name });
      await em.flush();
      await recordAudit(em, actor, {
        action: 'team.create',
        targetType: 'team',
        targetId: team.id,
        orgId: team.orgId,
        after: Team.from(team),
      });
      return team;
    });
  }

  async update(actor: Principal, team: TeamRecord, input: { name?: string | null }): Promise<TeamRecord> {
    const name = input.name === undefined || input.name === null ? undefined : requireText('input.name', input.name);
    return inChange(this.#em, name !== undefined && name !== team.name, async (em) => {
      const locked = await this.#lock(em, team.id);
      const before = Team.from(locked);
      if (name !== undefined && name !== locked.name) {
        await this.#requireFreeName(em, locked.orgId, name, locked.id);
        locked.name = name;
      }
      await recordAudit(em, actor, {
        action: 'team.update',
        targetType: 'team',
        targetId: locked.id,
        orgId: locked.orgId,
        before,
        after: Team.from(locked),
      });
      return locked;
    });
  }

  /** A suspended team's keys, and user keys attributed to it, stop working on every data plane. */
  async setStatus(actor: Principal, team: TeamRecord, status: EntityStatusValue): Promise<TeamRecord> {
    return inChange(this.#em, team.status !== status, async (em) => {
      const locked = await this.#lock(em, team.id);
      const before = Team.from(locked);
      locked.status = status;
      await recordAudit(em, actor, {
        action: `team.${statusVerb[status]}`,
        targetType: 'team',
        targetId: locked.id,
        orgId: locked.orgId,
        before,
        after: Team.from(locked),
      });
      return locked;
    });
  }

  /**
   * Soft delete: the team's own keys are revoked, and user keys attributed to it lose that attribution (they keep
   * working: they belong to their users). Memberships of a deleted team are no longer shown.
   */
  async delete(actor: Principal, team: TeamRecord): Promise<string> {
    return inChange(this.#em, true, async (em) => {
      const locked = await this.#lock(em, team.id);
      const before = Team.from(locked);
      const now = new Date();
      locked.deletedAt = now;
      const [{ n: revokedKeys }] = await em.execute<{ n: number }[]>(
        `with d as (update virtual_keys set revoked_at = ?
                     where team_id = ? and user_id is null and revoked_at is null returning 1)
         select count(*)::int as n from d`,
        [now, locked.id],
      );
      const [{ n: detachedKeys }] = await em.execute<{ n: number }[]>(
        `with d as (update virtual_keys set team_id = null where team_id = ? and user_id is not null returning 1)
         select count(*)::int as n from d`,
        [locked.id],
      );
      await recordAudit(em, actor, {
        action: 'team.delete',
        targetType: 'team',
        targetId: locked.id,
        orgId: locked.orgId,
        before,
        after: { deletedAt: now, revokedKeys, detachedKeys },
      });
      return locked.id;
    });
  }

  /** Idempotent: adding a member twice changes nothing (the call is still audited). */
  async addMember(actor: Principal, team: TeamRecord, userId: string): Promise<UserRecord> {
    const user = await this.#requireUserOfTeamOrg(team, userId);
    const member = await this.#em.count(UserTeamEntity, { userId: user.id, teamId: team.id });
    return inChange(this.#em, member === 0, async (em) => {
      await this.#lock(em, team.id);
      if (member === 0) {
        await em.execute('insert into user_teams (user_id, team_id) values (?, ?) on conflict do nothing', [
          user.id,
          team.id,
        ]);
      }
      await recordAudit(em, actor, {
        action: 'team.addMember',
        targetType: 'team',
        targetId: team.id,
        orgId: team.orgId,
        before: { userId: user.id, member: member > 0 },
        after: { userId: user.id, member: true },
      });
      return user;
    });
  }

  /**
   * Idempotent. The user's keys attributed to this team lose that attribution (they keep working): a key may only
   * name a team its user belongs to.
   */
  async removeMember(actor: Principal, team: TeamRecord, userId: string): Promise<UserRecord> {
    const user = await this.#requireUserOfTeamOrg(team, userId);
    const member = await this.#em.count(UserTeamEntity, { userId: user.id, teamId: team.id });
    return inChange(this.#em, member > 0, async (em) => {
      await this.#lock(em, team.id);
      let detachedKeys = 0;
      if (member > 0) {
        await em.execute('delete from user_teams where user_id = ? and team_id = ?', [user.id, team.id]);
        const [{ n }] = await em.execute<{ n: number }[]>(
          `with d as (update virtual_keys set team_id = null where user_id = ? and team_id = ? returning 1)
           select count(*)::int as n from d`,
          [user.id, team.id],
        );
        detachedKeys = n;
      }
      await recordAudit(em, actor, {
        action: 'team.removeMember',
        targetType: 'team',
        targetId: team.id,
        orgId: team.orgId,
        before: { userId: user.id, member: member > 0 },
        after: { userId: user.id, member: false, detachedKeys },
      });
      return user;
    });
  }

  /** A user of the team's org, or BAD_USER_INPUT on `userId` (a user elsewhere is reported the same way). */
  async #requireUserOfTeamOrg(team: TeamRecord, userId: string): Promise<UserRecord> {
    const user = isUuid(userId)
      ? await this.#em.findOne(UserEntity, { id: userId, orgId: team.orgId, deletedAt: null })
      : null;
    if (!user) throw badInput('userId', `User ${userId} is not in the team's organization`);
    return user;
  }

  async #lock(em: Em, id: string): Promise<TeamRecord> {
    const team = await em.findOne(TeamEntity, { id, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!team) throw notFound('id', `Team ${id} does not exist`);
    return team;
  }

  async #requireFreeName(em: Em, orgId: string, name: string, except: string | null): Promise<void> {
    const rows = await em.execute(
      `select 1 from teams where org_id = ? and lower(name) = lower(?) and deleted_at is null${except ? ' and id <> ?' : ''}`,
      except ? [orgId, name, except] : [orgId, name],
    );
    if (rows.length) throw conflict('input.name', `A team named "${name}" already exists in this organization`);
  }
}
