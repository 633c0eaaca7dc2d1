// Team rules: a team lives in an existing org, its name is unique there (case-insensitive); memberships stay inside
// the org; lifecycle (suspend, reactivate, delete) and what it does to the keys of the team.
import { LockMode } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { byCreation, containsPattern, type ListSource, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { filterId, isUuid, requireText } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { type CreatedLimits, createdView, writeCreated } from '../limits/created-limits.ts';
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

export const teamColumns = { columns: 't.*', keys: byCreation('t.created_at', 't.id') };

export const teamNode = (em: Em) => (row: object) => Team.from(em.map(TeamEntity, row as never));

const statusVerb = { active: 'reactivate', suspended: 'suspend' } as const;

const teamTarget = (team: TeamRecord) => ({ type: 'team', id: team.id, orgId: team.orgId });

async function isMember(em: Em, userId: string, teamId: string): Promise<boolean> {
  return (await em.count(UserTeamEntity, { userId, teamId })) > 0;
}

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

  async create(
    actor: Principal,
    input: { orgId: string; name: string },
    limits: CreatedLimits | null = null,
  ): Promise<TeamRecord> {
    const name = requireText('input.name', input.name);
    await new OrganizationService(this.#em).require(input.orgId, 'input.orgId');
    return auditedChange(this.#em, actor, {
      action: 'team.create',
      mutate: async (em) => {
        await this.#requireFreeName(em, input.orgId, name, null);
        const team = em.create(TeamEntity, { orgId: input.orgId, name });
        await writeCreated(em, limits, () => ({ orgId: team.orgId, scope: 'team', scopeId: team.id }));
        return team;
      },
      after: (_, team) => ({ ...Team.from(team), ...createdView(limits) }),
      target: teamTarget,
    });
  }

  async update(actor: Principal, team: TeamRecord, input: { name?: string | null }): Promise<TeamRecord> {
    const name = input.name === undefined || input.name === null ? undefined : requireText('input.name', input.name);
    return auditedChange(this.#em, actor, {
      action: 'team.update',
      ...this.#locked(team.id),
      mutate: async (em, locked) => {
        if (name !== undefined && name !== locked.name) {
          await this.#requireFreeName(em, locked.orgId, name, locked.id);
          locked.name = name;
        }
        return locked;
      },
    });
  }

  /** A suspended team's keys, and user keys attributed to it, stop working on every data plane. */
  async setStatus(actor: Principal, team: TeamRecord, status: EntityStatusValue): Promise<TeamRecord> {
    return auditedChange(this.#em, actor, {
      action: `team.${statusVerb[status]}`,
      ...this.#locked(team.id),
      mutate: async (_, locked) => {
        locked.status = status;
        return locked;
      },
    });
  }

  /**
   * Soft delete: the team's own keys are revoked, and user keys attributed to it lose that attribution (they keep
   * working: they belong to their users). Memberships of a deleted team are no longer shown.
   */
  async delete(actor: Principal, team: TeamRecord): Promise<string> {
    const now = new Date();
    let cascade = { revokedKeys: 0, detachedKeys: 0 };
    const deleted = await auditedChange(this.#em, actor, {
      action: 'team.delete',
      ...this.#locked(team.id),
      mutate: async (em, locked) => {
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
        cascade = { revokedKeys, detachedKeys };
        return locked;
      },
      after: () => ({ deletedAt: now, ...cascade }),
    });
    return deleted.id;
  }

  /** Idempotent: adding a member twice changes nothing (the call is still audited). */
  async addMember(actor: Principal, team: TeamRecord, userId: string): Promise<UserRecord> {
    const user = await this.#requireUserOfTeamOrg(team, userId);
    return auditedChange(this.#em, actor, {
      action: 'team.addMember',
      lock: (em) => this.#lock(em, team.id),
      before: async (em) => ({ userId: user.id, member: await isMember(em, user.id, team.id) }),
      mutate: async (em) => {
        await em.execute('insert into user_teams (user_id, team_id) values (?, ?) on conflict do nothing', [
          user.id,
          team.id,
        ]);
        return user;
      },
      after: () => ({ userId: user.id, member: true }),
      target: () => teamTarget(team),
    });
  }

  /**
   * Idempotent. The user's keys attributed to this team lose that attribution (they keep working): a key may only
   * name a team its user belongs to.
   */
  async removeMember(actor: Principal, team: TeamRecord, userId: string): Promise<UserRecord> {
    const user = await this.#requireUserOfTeamOrg(team, userId);
    let detachedKeys = 0;
    return auditedChange(this.#em, actor, {
      action: 'team.removeMember',
      lock: (em) => this.#lock(em, team.id),
      before: async (em) => ({ userId: user.id, member: await isMember(em, user.id, team.id) }),
      mutate: async (em) => {
        const removed = await em.execute<unknown[]>(
          'delete from user_teams where user_id = ? and team_id = ? returning 1',
          [user.id, team.id],
        );
        if (removed.length) {
          const [{ n }] = await em.execute<{ n: number }[]>(
            `with d as (update virtual_keys set team_id = null where user_id = ? and team_id = ? returning 1)
             select count(*)::int as n from d`,
            [user.id, team.id],
          );
          detachedKeys = n;
        }
        return user;
      },
      after: () => ({ userId: user.id, member: false, detachedKeys }),
      target: () => teamTarget(team),
    });
  }

  /** Lock, before/after views and target of a change to one team. */
  #locked(id: string) {
    return {
      lock: (em: Em) => this.#lock(em, id),
      before: (_: Em, team: TeamRecord) => Team.from(team),
      after: (_: Em, team: TeamRecord) => Team.from(team),
      target: teamTarget,
    };
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
