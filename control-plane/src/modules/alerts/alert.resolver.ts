// GraphQL entry points for budget alerts: the list (an org's, or every org's for platform admins) and the live feed.
import { Arg, Args, Ctx, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { filterId } from '../../graphql/validate.ts';
import { usageOrg } from '../usage/usage-args.ts';
import { BudgetAlert, BudgetAlertConnection, BudgetAlertFilter } from './alert.type.ts';
import { type AlertRow, alertColumns, alertFrom, toBudgetAlert } from './alert-view.ts';

const orgIdDescription = "One org's alerts (its admins and viewers may read them); null: every org (platform admins).";

@Resolver()
export class AlertResolver {
  @Query(() => BudgetAlertConnection, { description: 'Newest first.' })
  async budgetAlerts(
    @Arg('orgId', () => ID, { nullable: true, description: orgIdDescription }) orgId: string | null,
    @Arg('filter', () => BudgetAlertFilter, { nullable: true }) filter: BudgetAlertFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<BudgetAlert>> {
    const org = await usageOrg(ctx.em, orgId);
    const where: Sql[] = [];
    if (org !== null) where.push(sql('a.org_id = ?', org));
    if (filter?.kind) where.push(sql('a.kind = ?', filter.kind));
    const limitId = filterId('filter.limitId', filter?.limitId);
    if (limitId) where.push(sql('a.limit_id = ?', limitId));
    if (filter?.from) where.push(sql('a.raised_at >= ?', filter.from));
    const src = {
      from: alertFrom,
      columns: alertColumns,
      where,
      keys: [
        { expr: 'a.raised_at', type: 'timestamptz' as const },
        { expr: 'a.id', type: 'uuid' as const },
      ],
      descending: true,
    };
    return listPage(ctx.em, src, page, (r: AlertRow) => toBudgetAlert(r));
  }

  @Subscription(() => BudgetAlert, {
    description:
      'Alerts as they are raised, on whichever replica. With orgId: that org (its admins and viewers, platform ' +
      'admins); null: every org (platform admins).',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const orgId = await usageOrg(ctx.em, (args.orgId as string | null | undefined) ?? null);
      return ctx.deps.alertFeed.subscribe(orgId);
    },
  })
  budgetAlertRaised(
    @Root() alert: BudgetAlert,
    @Arg('orgId', () => ID, { nullable: true, description: orgIdDescription }) _orgId: string | null,
  ): BudgetAlert {
    return alert;
  }
}
