// Per-request loaders of users: by id, one page of users for every org or team of a level in one query, and the
// team ids of each user.
import DataLoader from 'dataloader';
import type { Em } from '../../db/orm.ts';
import { byId, groupBy, nestedPages } from '../../graphql/loaders.ts';
import { UserEntity, type UserRecord } from './user.entity.ts';
import type { UserFilter } from './user.input.ts';
import { userColumns, userConditions, userNode } from './user.service.ts';
import type { User } from './user.type.ts';

export function userLoaders(em: Em) {
  return {
    userById: byId<UserRecord>((ids) => em.find(UserEntity, { id: { $in: ids }, deletedAt: null })),
    usersOfOrg: nestedPages<UserFilter, User>(em, 'users u', userColumns, userConditions, 'u.org_id', userNode(em)),
    membersOfTeam: nestedPages<UserFilter, User>(
      em,
      'user_teams ut join users u on u.id = ut.user_id',
      userColumns,
      userConditions,
      'ut.team_id',
      userNode(em),
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
