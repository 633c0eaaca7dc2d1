// Per-request DataLoaders. Nested lists (an org's teams, users, keys and modules; a team's members and keys; a
// user's teams and keys) load one page for every parent of a level in one query (a window function), whatever the
// number of parents; a later page (with a cursor) is read directly. Single rows by id are batched the same way.
import DataLoader from 'dataloader';
import type { Em } from '../db/orm.ts';
import { OrganizationEntity, type OrganizationRecord } from '../modules/organizations/organization.entity.ts';
import { OrgModuleService } from '../modules/product-modules/org-module.service.ts';
import { ProductModuleEntity, type ProductModuleRecord } from '../modules/product-modules/product-module.entity.ts';
import type { ModuleFilter } from '../modules/product-modules/product-module.input.ts';
import type { OrgModule } from '../modules/product-modules/product-module.type.ts';
import { TeamEntity, type TeamRecord } from '../modules/teams/team.entity.ts';
import type { TeamFilter } from '../modules/teams/team.input.ts';
import { teamColumns, teamConditions, teamNode } from '../modules/teams/team.service.ts';
import type { Team } from '../modules/teams/team.type.ts';
import { UserEntity, type UserRecord } from '../modules/users/user.entity.ts';
import type { UserFilter } from '../modules/users/user.input.ts';
import { userColumns, userConditions, userNode } from '../modules/users/user.service.ts';
import type { User } from '../modules/users/user.type.ts';
import type { VirtualKeyFilter } from '../modules/virtual-keys/virtual-key.input.ts';
import { keyColumns, keyConditions, keyNode } from '../modules/virtual-keys/virtual-key.list.ts';
import type { VirtualKey } from '../modules/virtual-keys/virtual-key.type.ts';
import type { ConnectionShape, PageArgs } from './connection.ts';
import { type ListSource, pagesPerParent } from './sql-list.ts';

function groupBy<T>(ids: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return ids.map((id) => groups.get(id) ?? []);
}

/** One nested-list request: the parent, and the list arguments every parent of a level usually shares. */
export interface PageKey<F> {
  parentId: string;
  filter: F | null;
  page: PageArgs;
}

const argsKey = (k: PageKey<unknown>) => JSON.stringify([k.filter ?? null, k.page ?? null]);

/**
 * A loader of nested pages: requests are grouped by their arguments, and each group is one `fetch` for all its
 * parents. A failure (say, a bad cursor) fails the requests of its group only.
 */
function pageLoader<F, N>(
  fetch: (parentIds: readonly string[], filter: F | null, page: PageArgs) => Promise<Map<string, ConnectionShape<N>>>,
) {
  return new DataLoader<PageKey<F>, ConnectionShape<N>, string>(
    async (keys) => {
      const groups = new Map<string, { filter: F | null; page: PageArgs; ids: string[] }>();
      for (const k of keys) {
        const group = groups.get(argsKey(k));
        if (group) group.ids.push(k.parentId);
        else groups.set(argsKey(k), { filter: k.filter, page: k.page, ids: [k.parentId] });
      }
      const results = new Map<string, ConnectionShape<N> | Error>();
      for (const [args, group] of groups) {
        try {
          const pages = await fetch(group.ids, group.filter, group.page);
          for (const id of group.ids) results.set(`${args}|${id}`, pages.get(id) as ConnectionShape<N>);
        } catch (error) {
          for (const id of group.ids) results.set(`${args}|${id}`, error as Error);
        }
      }
      return keys.map((k) => results.get(`${argsKey(k)}|${k.parentId}`) as ConnectionShape<N> | Error);
    },
    { cacheKeyFn: (k) => `${argsKey(k)}|${k.parentId}` },
  );
}

/** Rows by id, null for unknown (or soft-deleted) ids. */
function byId<R extends { id: string }>(load: (ids: string[]) => Promise<R[]>) {
  return new DataLoader<string, R | null>(async (ids) => {
    const rows = new Map((await load([...ids])).map((r) => [r.id, r]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

export function createLoaders(em: Em) {
  const nested =
    <F, N>(
      from: string,
      columns: Omit<ListSource, 'from' | 'where'>,
      conditions: (filter: F | null) => ListSource['where'],
      parent: string,
      toNode: (row: object) => N,
    ) =>
    (ids: readonly string[], filter: F | null, page: PageArgs) =>
      pagesPerParent(em, { from, ...columns, where: conditions(filter) }, parent, ids, page, toNode);

  return {
    orgById: byId<OrganizationRecord>((ids) => em.find(OrganizationEntity, { id: { $in: ids }, deletedAt: null })),
    teamById: byId<TeamRecord>((ids) => em.find(TeamEntity, { id: { $in: ids }, deletedAt: null })),
    userById: byId<UserRecord>((ids) => em.find(UserEntity, { id: { $in: ids }, deletedAt: null })),
    moduleById: byId<ProductModuleRecord>((ids) => em.find(ProductModuleEntity, { id: { $in: ids }, deletedAt: null })),

    teamsOfOrg: pageLoader<TeamFilter, Team>(nested('teams t', teamColumns, teamConditions, 't.org_id', teamNode(em))),
    usersOfOrg: pageLoader<UserFilter, User>(nested('users u', userColumns, userConditions, 'u.org_id', userNode(em))),
    keysOfOrg: pageLoader<VirtualKeyFilter, VirtualKey>(
      nested('virtual_keys k', keyColumns, keyConditions, 'k.org_id', keyNode(em)),
    ),
    modulesOfOrg: pageLoader<ModuleFilter, OrgModule>((ids, filter, page) =>
      new OrgModuleService(em).pages(ids, filter, page),
    ),
    membersOfTeam: pageLoader<UserFilter, User>(
      nested(
        'user_teams ut join users u on u.id = ut.user_id',
        userColumns,
        userConditions,
        'ut.team_id',
        userNode(em),
      ),
    ),
    keysOfTeam: pageLoader<VirtualKeyFilter, VirtualKey>(
      nested('virtual_keys k', keyColumns, keyConditions, 'k.team_id', keyNode(em)),
    ),
    teamsOfUser: pageLoader<TeamFilter, Team>(
      nested(
        'user_teams ut join teams t on t.id = ut.team_id',
        teamColumns,
        teamConditions,
        'ut.user_id',
        teamNode(em),
      ),
    ),
    keysOfUser: pageLoader<VirtualKeyFilter, VirtualKey>(
      nested('virtual_keys k', keyColumns, keyConditions, 'k.user_id', keyNode(em)),
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
