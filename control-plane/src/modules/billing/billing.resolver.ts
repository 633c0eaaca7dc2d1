// GraphQL entry points for billing: effective settings per org, the platform default, audited writes (platform
// admins only), and the CSV export of a billing period.
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { actorOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import { exportUsage } from './billing-export.service.ts';
import { BillingExport } from './billing-export.type.ts';
import { BillingSettingsService, toGraphQL } from './billing-settings.service.ts';
import { BillingSettings, BillingSettingsInput } from './billing-settings.type.ts';

@Resolver()
export class BillingResolver {
  @Query(() => BillingSettings, {
    description:
      'The settings in effect for an org: its own, else the platform default. Its admins and viewers may read them.',
  })
  async billingSettings(@Arg('orgId', () => ID) orgId: string, @Ctx() ctx: Context): Promise<BillingSettings> {
    const service = new BillingSettingsService(ctx.em);
    await service.requireOrg(orgId, false);
    return toGraphQL(await service.forOrg(orgId));
  }

  @Query(() => BillingSettings, { description: 'Platform admins: the settings of orgs without their own.' })
  async defaultBillingSettings(@Ctx() ctx: Context): Promise<BillingSettings> {
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
    return toGraphQL(await new BillingSettingsService(ctx.em).setForOrg(actorOf(ctx), orgId, input));
  }

  @Mutation(() => BillingSettings, {
    description: "Platform admins: drops the org's own settings, so it follows the platform default again. Audited.",
  })
  async resetBillingSettings(@Arg('orgId', () => ID) orgId: string, @Ctx() ctx: Context): Promise<BillingSettings> {
    return toGraphQL(await new BillingSettingsService(ctx.em).resetForOrg(actorOf(ctx), orgId));
  }

  @Mutation(() => BillingSettings, {
    description: 'Platform admins: changes the default of every org without settings of its own. Audited.',
  })
  async setDefaultBillingSettings(
    @Arg('input', () => BillingSettingsInput) input: BillingSettingsInput,
    @Ctx() ctx: Context,
  ): Promise<BillingSettings> {
    return toGraphQL(await new BillingSettingsService(ctx.em).setDefault(actorOf(ctx), input));
  }

  @Query(() => BillingExport, {
    description:
      "An org's usage over a billing period as CSV, with its markup or discount and currency applied. Give `period` " +
      "(YYYY-MM, starting on the org's anchor day), or `from` and `to` (whole UTC hours, up to 366 days), or neither " +
      'for the last complete period. Also at GET /export/usage.csv.',
  })
  async billingExport(
    @Arg('orgId', () => ID) orgId: string,
    @Arg('period', () => String, { nullable: true }) period: string | null,
    @Arg('from', () => DateTimeScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true }) to: Date | null,
    @Ctx() ctx: Context,
  ): Promise<BillingExport> {
    const r = await exportUsage(ctx, { orgId, period, from, to });
    return Object.assign(new BillingExport(), {
      orgId: r.orgId,
      period: r.period.label,
      from: r.period.from,
      to: r.period.to,
      currency: r.settings.currency,
      markupPercent: Number(r.settings.markupPercent),
      exchangeRate: Number(r.settings.exchangeRate),
      lineCount: r.lineCount,
      totalProviderCostUsd: r.totalProviderCostUsd,
      totalBilledAmount: r.totalBilledAmount,
      filename: r.filename,
      csv: r.csv,
    });
  }
}
