// GraphQL entry points for billing: effective settings per org, the platform default, audited writes (platform
// admins only).
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { actorOf, requireOrg, requirePlatform } from '../../access/guards.ts';
import type { Context } from '../../context.ts';
import { BillingSettingsService, toGraphQL } from './billing-settings.service.ts';
import { BillingSettings, BillingSettingsInput } from './billing-settings.type.ts';

@Resolver()
export class BillingResolver {
  @Query(() => BillingSettings, {
    description:
      'The settings in effect for an org: its own, else the platform default. Its admins and viewers may read them.',
  })
  async billingSettings(@Arg('orgId', () => ID) orgId: string, @Ctx() ctx: Context): Promise<BillingSettings> {
    requireOrg(ctx, orgId, 'read');
    const service = new BillingSettingsService(ctx.em);
    await service.requireOrg(orgId, false);
    return toGraphQL(await service.forOrg(orgId));
  }

  @Query(() => BillingSettings, { description: 'Platform admins: the settings of orgs without their own.' })
  async defaultBillingSettings(@Ctx() ctx: Context): Promise<BillingSettings> {
    requirePlatform(ctx, 'read');
    return toGraphQL(await new BillingSettingsService(ctx.em).platformDefault());
  }

  @Mutation(() => BillingSettings, {
    description:
      'Platform admins: gives the org settings of its own (omitted fields keep their current effective value). Audited.',
  })
  async setBillingSettings(
    @Arg('orgId', () => ID) orgId: string,
    @Arg('input', () => BillingSettingsInput) input: BillingSettingsInput,
    @Ctx() ctx: Context,
  ): Promise<BillingSettings> {
    requirePlatform(ctx, 'write');
    return toGraphQL(await new BillingSettingsService(ctx.em).setForOrg(actorOf(ctx), orgId, input));
  }

  @Mutation(() => BillingSettings, {
    description: "Platform admins: drops the org's own settings, so it follows the platform default again. Audited.",
  })
  async resetBillingSettings(@Arg('orgId', () => ID) orgId: string, @Ctx() ctx: Context): Promise<BillingSettings> {
    requirePlatform(ctx, 'write');
    return toGraphQL(await new BillingSettingsService(ctx.em).resetForOrg(actorOf(ctx), orgId));
  }

  @Mutation(() => BillingSettings, {
    description: 'Platform admins: changes the default of every org without settings of its own. Audited.',
  })
  async setDefaultBillingSettings(
    @Arg('input', () => BillingSettingsInput) input: BillingSettingsInput,
    @Ctx() ctx: Context,
  ): Promise<BillingSettings> {
    requirePlatform(ctx, 'write');
    return toGraphQL(await new BillingSettingsService(ctx.em).setDefault(actorOf(ctx), input));
  }
}
