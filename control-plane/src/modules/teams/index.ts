// The teams module: the teams table, team queries and mutations, Organization.teams, and the team loaders.
import { defineModule } from '../module.ts';
import { OrganizationTeamsResolver } from './organization-teams.resolver.ts';
import { TeamEntity } from './team.entity.ts';
import { TeamResolver } from './team.resolver.ts';
import { teamLoaders } from './team-loaders.ts';

export const teamsModule = defineModule({
  name: 'teams',
  entities: [TeamEntity],
  resolvers: [TeamResolver, OrganizationTeamsResolver],
  loaders: teamLoaders,
});
