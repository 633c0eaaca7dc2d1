// Organization.virtualKeys, Team.virtualKeys and User.virtualKeys: the virtual-keys module adds its lists to the
// types of the keys' owners, each loaded one page per parent of a level (virtual-key-loaders.ts).
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { Organization } from '../organizations/organization.type.ts';
import { Team } from '../teams/team.type.ts';
import { User } from '../users/user.type.ts';
import { VirtualKeyFilter } from './virtual-key.input.ts';
import { type VirtualKey, VirtualKeyConnection } from './virtual-key.type.ts';

@Resolver(() => Organization)
export class OrganizationVirtualKeysResolver {
  @FieldResolver(() => VirtualKeyConnection)
  virtualKeys(
    @Root() org: Organization,
    @Arg('filter', () => VirtualKeyFilter, { nullable: true }) filter: VirtualKeyFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<VirtualKey>> {
    return ctx.loaders.keysOfOrg.load({ parentId: org.id, filter, page });
  }
}

@Resolver(() => Team)
export class TeamVirtualKeysResolver {
  @FieldResolver(() => VirtualKeyConnection, { description: 'Keys owned by, or attributed to, the team.' })
  virtualKeys(
    @Root() team: Team,
    @Arg('filter', () => VirtualKeyFilter, { nullable: true }) filter: VirtualKeyFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<VirtualKey>> {
    return ctx.loaders.keysOfTeam.load({ parentId: team.id, filter, page });
  }
}

@Resolver(() => User)
export class UserVirtualKeysResolver {
  @FieldResolver(() => VirtualKeyConnection, { description: 'Keys owned by the user.' })
  virtualKeys(
    @Root() user: User,
    @Arg('filter', () => VirtualKeyFilter, { nullable: true }) filter: VirtualKeyFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<VirtualKey>> {
    return ctx.loaders.keysOfUser.load({ parentId: user.id, filter, page });
  }
}
