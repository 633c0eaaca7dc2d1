// GraphQL entry points for organizations and their nested lists.
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import { Team } from '../teams/team.type.ts';
import { UsageService } from '../usage/usage.service.ts';
import { UsageTotals } from '../usage/usage.type.ts';
import { User } from '../users/user.type.ts';
import { VirtualKey } from '../virtual-keys/virtual-key.type.ts';
import { CreateOrganizationInput } from './organization.input.ts';
import { OrganizationService } from './organization.service.ts';
import { Organization } from './organization.type.ts';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Authorized('admin')
  @Query(() => [Organization])
  async organizations(@Ctx() ctx: Context): Promise<Organization[]> {
    return (await new OrganizationService(ctx.em).list()).map(Organization.from);
  }

  @Authorized('admin')
  @Query(() => Organization, { nullable: true, description: 'null when it does not exist.' })
  async organization(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Organization | null> {
    const org = await new OrganizationService(ctx.em).find(id);
    return org ? Organization.from(org) : null;
  }

  @Authorized('admin')
  @Mutation(() => Organization)
  async createOrganization(
    @Arg('input', () => CreateOrganizationInput) input: CreateOrganizationInput,
    @Ctx() ctx: Context,
  ): Promise<Organization> {
    return Organization.from(await new OrganizationService(ctx.em).create(input));
  }

  @FieldResolver(() => [Team])
  async teams(@Root() org: Organization, @Ctx() ctx: Context): Promise<Team[]> {
    return (await ctx.loaders.teamsByOrg.load(org.id)).map(Team.from);
  }

  @FieldResolver(() => [User])
  async users(@Root() org: Organization, @Ctx() ctx: Context): Promise<User[]> {
    return (await ctx.loaders.usersByOrg.load(org.id)).map(User.from);
  }

  @FieldResolver(() => [VirtualKey])
  async virtualKeys(@Root() org: Organization, @Ctx() ctx: Context): Promise<VirtualKey[]> {
    return (await ctx.loaders.keysByOrg.load(org.id)).map(VirtualKey.from);
  }

  @FieldResolver(() => UsageTotals, { description: 'Usage in [from, to); open ends when omitted.' })
  usage(
    @Root() org: Organization,
    @Arg('from', () => DateTimeScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true }) to: Date | null,
    @Ctx() ctx: Context,
  ): Promise<UsageTotals> {
    return new UsageService(ctx.em).orgTotals(org.id, from, to);
  }
}
