// GraphQL entry points for usage: ingestion (data planes) and per-org aggregates (admins).
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.ts';
import { DateTimeScalar, JSONScalar } from '../../graphql/scalars.ts';
import { UsageService } from './usage.service.ts';
import { IngestUsagePayload, OrgUsage } from './usage.type.ts';

@Resolver()
export class UsageResolver {
  @Authorized('data-plane')
  @Mutation(() => IngestUsagePayload, {
    description:
      'Data planes only. `batch` is a contract UsageBatch. A malformed envelope is a BAD_USER_INPUT error; ' +
      'invalid records are answered in `rejected` while the valid ones are stored.',
  })
  async ingestUsage(@Arg('batch', () => JSONScalar) batch: unknown, @Ctx() ctx: Context): Promise<IngestUsagePayload> {
    return new UsageService(ctx.em).ingest(batch, ctx.deps.logger);
  }

  @Authorized('admin')
  @Query(() => [OrgUsage], { description: 'Usage per organization in [from, to).' })
  async usageByOrg(
    @Arg('from', () => DateTimeScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true }) to: Date | null,
    @Ctx() ctx: Context,
  ): Promise<OrgUsage[]> {
    return new UsageService(ctx.em).byOrg(from, to);
  }
}
