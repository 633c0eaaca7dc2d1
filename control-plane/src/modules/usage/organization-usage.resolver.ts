// Organization.usage: the usage module adds an org's usage totals to the org type.
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import { Organization } from '../organizations/organization.type.ts';
import { UsageService } from './usage.service.ts';
import { UsageTotals } from './usage.type.ts';

@Resolver(() => Organization)
export class OrganizationUsageResolver {
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
