// GraphQL entry points for teams.
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.ts';
import { CreateTeamInput } from './team.input.ts';
import { TeamService } from './team.service.ts';
import { Team } from './team.type.ts';

@Resolver(() => Team)
export class TeamResolver {
  @Authorized('admin')
  @Mutation(() => Team)
  async createTeam(@Arg('input', () => CreateTeamInput) input: CreateTeamInput, @Ctx() ctx: Context): Promise<Team> {
    return Team.from(await new TeamService(ctx.em).create(input));
  }
}
