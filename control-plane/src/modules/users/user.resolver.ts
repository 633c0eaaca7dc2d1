// GraphQL entry points for users (end users of the gateway inside an org): org admins manage them, viewers read.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf, adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { notFound } from '../../errors.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { createdLimits } from '../limits/created-limits.ts';
import { Organization } from '../organizations/organization.type.ts';
import { TeamFilter } from '../teams/team.input.ts';
import { type Team, TeamConnection } from '../teams/team.type.ts';
import type { UserRecord } from './user.entity.ts';
import { CreateUserInput, UpdateUserInput, UserFilter } from './user.input.ts';
import { UserService } from './user.service.ts';
import { User, UserConnection } from './user.type.ts';

/** The user a mutation names (its scope already checked by the operation table). */
async function writableUser(ctx: Context, id: string): Promise<UserRecord> {
  const user = await new UserService(ctx.em).find(id);
  if (!user) throw notFound('id', `User ${id} does not exist`);
  return user;
}

@Resolver(() => User)
export class UserResolver {
  @Query(() => UserConnection, { description: "One org's users, or (platform admins, no orgId) every org's." })
  users(
    @Arg('orgId', () => ID, { nullable: true }) orgId: string | null,
    @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<User>> {
    return new UserService(ctx.em).list(orgId ?? adminOf(ctx).orgId, filter, page);
  }

  @Query(() => User, { nullable: true, description: 'null when it does not exist or is out of scope.' })
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<User | null> {
    const user = await new UserService(ctx.em).find(id);
    return user ? User.from(user) : null;
  }

  @Mutation(() => User)
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: Context): Promise<User> {
    const limits = createdLimits(input.limits, adminOf(ctx));
    return User.from(await new UserService(ctx.em).create(actorOf(ctx), input, limits));
  }

  @Mutation(() => User)
  async updateUser(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateUserInput) input: UpdateUserInput,
    @Ctx() ctx: Context,
  ): Promise<User> {
    const user = await writableUser(ctx, id);
    return User.from(await new UserService(ctx.em).update(actorOf(ctx), user, input));
  }

  @Mutation(() => User, { description: "The user's keys stop working on every data plane within a second." })
  async suspendUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<User> {
    const user = await writableUser(ctx, id);
    return User.from(await new UserService(ctx.em).setStatus(actorOf(ctx), user, 'suspended'));
  }

  @Mutation(() => User)
  async reactivateUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<User> {
    const user = await writableUser(ctx, id);
    return User.from(await new UserService(ctx.em).setStatus(actorOf(ctx), user, 'active'));
  }

  @Mutation(() => ID, { description: "Soft delete: the user's keys are revoked; usage history stays. Answers the id." })
  async deleteUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    const user = await writableUser(ctx, id);
    return new UserService(ctx.em).delete(actorOf(ctx), user);
  }

  @FieldResolver(() => [ID], { description: "The user's teams' ids (see teams for the teams themselves)." })
  teamIds(@Root() user: User, @Ctx() ctx: Context): Promise<string[]> {
    return ctx.loaders.teamIdsByUser.load(user.id);
  }

  @FieldResolver(() => TeamConnection)
  teams(
    @Root() user: User,
    @Arg('filter', () => TeamFilter, { nullable: true }) filter: TeamFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<Team>> {
    return ctx.loaders.teamsOfUser.load({ parentId: user.id, filter, page });
  }

  @FieldResolver(() => Organization)
  async organization(@Root() user: User, @Ctx() ctx: Context): Promise<Organization> {
    const org = await ctx.loaders.orgById.load(user.orgId);
    if (!org) throw notFound(undefined, `Organization ${user.orgId} does not exist`);
    return Organization.from(org);
  }
}
