// Organization.users: the users module adds its list to the org type, loaded one page per org of a level.
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { Organization } from '../organizations/organization.type.ts';
import { UserFilter } from './user.input.ts';
import { type User, UserConnection } from './user.type.ts';

@Resolver(() => Organization)
export class OrganizationUsersResolver {
  @FieldResolver(() => UserConnection)
  users(
    @Root() org: Organization,
    @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<User>> {
    return ctx.loaders.usersOfOrg.load({ parentId: org.id, filter, page });
  }
}
