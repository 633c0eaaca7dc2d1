// GraphQL entry points for usage: ingestion (data planes) and aggregates read from the rollups (admins, scoped).
import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { badInput } from '../../errors.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { DateTimeScalar, JSONScalar } from '../../graphql/scalars.ts';
import { UsageService } from './usage.service.ts';
import {
  IngestUsagePayload,
  type OrgUsage,
  OrgUsageConnection,
  OrgUsageFilter,
  UsageAmounts,
  UsageBucket,
  UsageDimension,
  UsageFilter,
  UsageMetric,
  UsagePoint,
  UsagePointConnection,
  UsageTopEntry,
  UsageUpdate,
} from './usage.type.ts';
import { checkGroupBy, maxWindowDays, usageOrg, usageScope } from './usage-args.ts';
import type { UsageUpdateMessage } from './usage-fanout.ts';

export const maxTopLimit = 100;

const orgIdDescription = "One org's usage (its admins and viewers may read it); null: every org (platform admins).";
const windowDescription = 'Whole UTC hours; [from, to) is half-open.';

@Resolver()
export class UsageResolver {
  @Mutation(() => IngestUsagePayload, {
    description:
      'Data planes only. `batch` is a contract UsageBatch. A malformed envelope is a BAD_USER_INPUT error; ' +
      'invalid records are answered in `rejected` while the valid ones are stored.',
  })
  async ingestUsage(@Arg('batch', () => JSONScalar) batch: unknown, @Ctx() ctx: Context): Promise<IngestUsagePayload> {
    return new UsageService(ctx.em).ingest(batch, ctx.deps.logger);
  }

  @Query(() => OrgUsageConnection, {
    description:
      'Usage per live organization in [from, to) (any instants; open ends when omitted), ordered by org name. ' +
      'Org roles see their own org only.',
  })
  async usageByOrg(
    @Arg('from', () => DateTimeScalar, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeScalar, { nullable: true }) to: Date | null,
    @Arg('filter', () => OrgUsageFilter, { nullable: true }) filter: OrgUsageFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<OrgUsage>> {
    const scope = adminOf(ctx).orgId;
    return new UsageService(ctx.em).byOrg(from, to, scope, filter, page);
  }

  @Query(() => UsagePointConnection, {
    description:
      `Usage per UTC bucket and per combination of the groupBy dimensions, ordered by bucketStart then the ` +
      `dimension values; only buckets with usage appear. Windows: HOUR buckets up to ${maxWindowDays.hour} days, ` +
      `DAY up to ${maxWindowDays.day}, MONTH up to ${maxWindowDays.long}.`,
  })
  async usageSeries(
    @Arg('orgId', () => ID, { nullable: true, description: orgIdDescription }) orgId: string | null,
    @Arg('from', () => DateTimeScalar, { description: windowDescription }) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @Arg('bucket', () => UsageBucket) bucket: UsageBucket,
    @Arg('groupBy', () => [UsageDimension], { defaultValue: [] }) groupBy: UsageDimension[],
    @Arg('filter', () => UsageFilter, { nullable: true }) filter: UsageFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<UsagePoint>> {
    const maxDays =
      bucket === UsageBucket.HOUR
        ? maxWindowDays.hour
        : bucket === UsageBucket.DAY
          ? maxWindowDays.day
          : maxWindowDays.long;
    const scope = await usageScope(ctx.em, { orgId, from, to, filter }, maxDays);
    const dims = checkGroupBy(groupBy, scope.orgId);
    return new UsageService(ctx.em).series(scope, bucket, dims, page);
  }

  @Query(() => [UsageTopEntry], {
    description: `The values of one dimension with the most usage by \`metric\`, best first (ties by value); at most ${maxTopLimit}.`,
  })
  async usageTop(
    @Arg('orgId', () => ID, { nullable: true, description: orgIdDescription }) orgId: string | null,
    @Arg('from', () => DateTimeScalar, { description: windowDescription }) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @Arg('by', () => UsageDimension) by: UsageDimension,
    @Arg('metric', () => UsageMetric, { defaultValue: UsageMetric.COST }) metric: UsageMetric,
    @Arg('limit', () => Int, { defaultValue: 10, description: `1-${maxTopLimit}.` }) limit: number,
    @Arg('filter', () => UsageFilter, { nullable: true }) filter: UsageFilter | null,
    @Ctx() ctx: Context,
  ): Promise<UsageTopEntry[]> {
    const scope = await usageScope(ctx.em, { orgId, from, to, filter }, maxWindowDays.long);
    const [dim] = checkGroupBy([by], scope.orgId, 'by');
    if (!Number.isInteger(limit) || limit < 1 || limit > maxTopLimit) {
      throw badInput('limit', `limit must be an integer from 1 to ${maxTopLimit}`);
    }
    return new UsageService(ctx.em).top(scope, dim, metric, limit);
  }

  @Query(() => UsageAmounts, { description: 'Sums over [from, to) and the filter.' })
  async usageTotals(
    @Arg('orgId', () => ID, { nullable: true, description: orgIdDescription }) orgId: string | null,
    @Arg('from', () => DateTimeScalar, { description: windowDescription }) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @Arg('filter', () => UsageFilter, { nullable: true }) filter: UsageFilter | null,
    @Ctx() ctx: Context,
  ): Promise<UsageAmounts> {
    const scope = await usageScope(ctx.em, { orgId, from, to, filter }, maxWindowDays.long);
    return new UsageService(ctx.em).totals(scope);
  }

  @Subscription(() => UsageUpdate, {
    description:
      'New usage as it is ingested, per org, at most about once a second per org. With orgId: that org (its ' +
      'admins and viewers, platform admins); null: every org (platform admins).',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const orgId = await usageOrg(ctx.em, (args.orgId as string | null | undefined) ?? null);
      return ctx.deps.usageFeed.subscribe(orgId);
    },
  })
  usageUpdates(
    @Root() message: UsageUpdateMessage,
    @Arg('orgId', () => ID, { nullable: true, description: orgIdDescription }) _orgId: string | null,
  ): UsageUpdate {
    return Object.assign(new UsageUpdate(), {
      orgId: message.orgId,
      requests: message.requests,
      errors: message.errors,
      inputTokens: message.inputTokens,
      outputTokens: message.outputTokens,
      cachedInputTokens: message.cachedInputTokens,
      costUsd: message.costUsd,
      earliestAt: new Date(message.earliestAt),
      latestAt: new Date(message.latestAt),
      sentAt: new Date(message.sentAt),
    });
  }
}
