// Per-request loaders of teams: by id, and one page of teams for every org or user of a level in one query.
import type { Em } from '../../db/orm.ts';
import { byId, nestedPages } from '../../graphql/loaders.ts';
import { TeamEntity, type TeamRecord } from './team.entity.ts';
import type { TeamFilter } from './team.input.ts';
import { teamColumns, teamConditions, teamNode } from './team.service.ts';
import type { Team } from './team.type.ts';

export function teamLoaders(em: Em) {
  return {
    teamById: byId<TeamRecord>((ids) => em.find(TeamEntity, { id: { $in: ids }, deletedAt: null })),
    teamsOfOrg: nestedPages<TeamFilter, Team>(em, 'teams t', teamColumns, teamConditions, 't.org_id', teamNode(em)),
    teamsOfUser: nestedPages<TeamFilter, Team>(
      em,
      'user_teams ut join teams t on t.id = ut.team_id',
      teamColumns,
      teamConditions,
      'ut.user_id',
      teamNode(em),
    ),
  };
}
