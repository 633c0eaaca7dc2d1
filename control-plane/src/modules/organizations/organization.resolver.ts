// GraphQL entry points for organizations (platform admins manage them; org roles read their own). The org's nested
// lists and usage are fields its child modules add (e.g. teams/organization-teams.resolver.ts).
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { actorOf, adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { createdLimits } from '../limits/created-limits.ts';
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
    const limits = createdLimits(input.limits, adminOf(ctx));
    return Organization.from(await new OrganizationService(ctx.em).create(actorOf(ctx), input, limits));
  }

  @Mutation(() => Organization, {
    description: 'Rename, change the slug, time zone or budget fail-open. Platform admins.',
  })
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
}
