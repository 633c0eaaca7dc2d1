// Per-request DataLoaders: nested lists (an org's teams, users, keys; a user's teams) load in one query per level.
import DataLoader from 'dataloader';
import type { Em } from '../db/orm.ts';
import { TeamEntity, type TeamRecord } from '../modules/teams/team.entity.ts';
import { UserEntity, type UserRecord } from '../modules/users/user.entity.ts';
import { VirtualKeyEntity, type VirtualKeyRecord } from '../modules/virtual-keys/virtual-key.entity.ts';

function groupBy<T>(ids: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return ids.map((id) => groups.get(id) ?? []);
}

export function createLoaders(em: Em) {
  const order = { orderBy: { createdAt: 'asc', id: 'asc' } } as const;
  return {
    teamsByOrg: new DataLoader<string, TeamRecord[]>(async (orgIds) =>
      groupBy(
        orgIds,
        await em.find(TeamEntity, { orgId: { $in: [...orgIds] }, deletedAt: null }, order),
        (t) => t.orgId,
      ),
    ),
    usersByOrg: new DataLoader<string, UserRecord[]>(async (orgIds) =>
      groupBy(
        orgIds,
        await em.find(UserEntity, { orgId: { $in: [...orgIds] }, deletedAt: null }, order),
        (u) => u.orgId,
      ),
    ),
    keysByOrg: new DataLoader<string, VirtualKeyRecord[]>(async (orgIds) =>
      groupBy(orgIds, await em.find(VirtualKeyEntity, { orgId: { $in: [...orgIds] } }, order), (k) => k.orgId),
    ),
    // Memberships of deleted teams are not shown (the snapshot leaves them out the same way).
    teamIdsByUser: new DataLoader<string, string[]>(async (userIds) => {
      const rows = await em.execute<{ user_id: string; team_id: string }[]>(
        `select ut.user_id, ut.team_id from user_teams ut join teams t on t.id = ut.team_id
          where ut.user_id in (select jsonb_array_elements_text(?::jsonb)::uuid) and t.deleted_at is null
          order by ut.team_id`,
        // One JSON parameter: the raw-query layer would expand a JS array into separate parameters.
        [JSON.stringify(userIds)],
      );
      return groupBy(userIds, rows, (r) => r.user_id).map((g) => g.map((r) => r.team_id));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
