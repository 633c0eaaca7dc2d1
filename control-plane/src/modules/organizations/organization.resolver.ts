// GraphQL entry points for organizations (platform admins manage them; org roles read their own) and their nested
// lists, which load batched per level (see graphql/loaders.ts).
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf, adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import { ModuleFilter } from '../product-modules/product-module.input.ts';
import { type OrgModule, OrgModuleConnection } from '../product-modules/product-module.type.ts';
import { TeamFilter } from '../teams/team.input.ts';
import { type Team, TeamConnection } from '../teams/team.type.ts';
import { UsageService } from '../usage/usage.service.ts';
import { UsageTotals } from '../usage/usage.type.ts';
import { UserFilter } from '../users/user.input.ts';
import { type User, UserConnection } from '../users/user.type.ts';
import { VirtualKeyFilter } from '../virtual-keys/virtual-key.input.ts';
import { type VirtualKey, VirtualKeyConnection } from '../virtual-keys/virtual-key.type.ts';
import { CreateOrganizationInput, OrganizationFilter, UpdateOrganizationInput } from './organization.input.ts';
import { OrganizationService } from './organization.service.ts';
import { Organization, OrganizationConnection } from './organization.type.ts';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => OrganizationConnection, { description: 'Every org for platform admins; an org role sees its own.' })
  organizations(
    @Arg('filter', () => OrganizationFilter, { nullable: true }) filter: OrganizationFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<Organization>> {
    return new OrganizationService(ctx.em).list(adminOf(ctx).orgId, filter, page);
  }

  @Query(() => Organization, { nullable: true, description: 'null when it does not exist or is out of scope.' })
  async organization(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Organization | null> {
    const org = await new OrganizationService(ctx.em).find(id);
    return org ? Organization.from(org) : null;
  }

  @Mutation(() => Organization, { description: 'Platform admins.' })
  async createOrganization(
    @Arg('input', () => CreateOrganizationInput) input: CreateOrganizationInput,
    @Ctx() ctx: Context,
  ): Promise<Organization> {
    return Organization.from(await new OrganizationService(ctx.em).create(actorOf(ctx), input));
  }

  @Mutation(() => Organization, { description: 'Rename, or change the slug. Platform admins.' })
  async updateOrganization(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateOrganizationInput) input: UpdateOrganizationInput,
    @Ctx() ctx: Context,
  ): Promise<Organization> {
    return Organization.from(await new OrganizationService(ctx.em).update(actorOf(ctx), id, input));
  }

  @Mutation(() => Organization, {
    description: 'Every key of the org stops working on every data plane within a second. Platform admins.',
  })
  async suspendOrganization(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Organization> {
    return Organization.from(await new OrganizationService(ctx.em).setStatus(actorOf(ctx), id, 'suspended'));
  }

  @Mutation(() => Organization, { description: 'Lifts a suspension. Platform admins.' })
  async reactivateOrganization(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Organization> {
    return Organization.from(await new OrganizationService(ctx.em).setStatus(actorOf(ctx), id, 'active'));
  }

  @Mutation(() => ID, {
    description:
      'Soft delete: the org, its teams and users vanish from lists and the snapshot, its keys are revoked; usage ' +
      'history stays. Answers the id. Platform admins.',
  })
  deleteOrganization(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return new OrganizationService(ctx.em).delete(actorOf(ctx), id);
  }

  @FieldResolver(() => TeamConnection)
  teams(
    @Root() org: Organization,
    @Arg('filter', () => TeamFilter, { nullable: true }) filter: TeamFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<Team>> {
    return ctx.loaders.teamsOfOrg.load({ parentId: org.id, filter, page });
  }

  @FieldResolver(() => UserConnection)
  users(
    @Root() org: Organization,
    @Arg('filter', () => UserFilter, { nullable: true }) filter: UserFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<User>> {
    return ctx.loaders.usersOfOrg.load({ parentId: org.id, filter, page });
  }

  @FieldResolver(() => VirtualKeyConnection)
  virtualKeys(
    @Root() org: Organization,
    @Arg('filter', () => VirtualKeyFilter, { nullable: true }) filter: VirtualKeyFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<VirtualKey>> {
    return ctx.loaders.keysOfOrg.load({ parentId: org.id, filter, page });
  }

  @FieldResolver(() => OrgModuleConnection, { description: 'The modules enabled for the org.' })
  modules(
    @Root() org: Organization,
    @Arg('filter', () => ModuleFilter, { nullable: true }) filter: ModuleFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<OrgModule>> {
    return ctx.loaders.modulesOfOrg.load({ parentId: org.id, filter, page });
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
