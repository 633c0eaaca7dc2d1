// Organization.teams: the teams module adds its list to the org type, loaded one page per org of a level.
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { Organization } from '../organizations/organization.type.ts';
import { TeamFilter } from './team.input.ts';
import { type Team, TeamConnection } from './team.type.ts';

@Resolver(() => Organization)
export class OrganizationTeamsResolver {
  @FieldResolver(() => TeamConnection)
  teams(
    @Root() org: Organization,
    @Arg('filter', () => TeamFilter, { nullable: true }) filter: TeamFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<Team>> {
    return ctx.loaders.teamsOfOrg.load({ parentId: org.id, filter, page });
  }
}
