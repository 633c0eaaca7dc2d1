// GraphQL entry point of the audit log: one org's events (its admins and viewers) or all of them (platform admins).
import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.ts';
import { type ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { AuditService } from './audit.service.ts';
import { type AuditEvent, AuditEventConnection, AuditEventFilter } from './audit.type.ts';

@Resolver()
export class AuditResolver {
  @Query(() => AuditEventConnection, {
    description: 'Newest first. With orgId: that org (its own admins may read it); without: every event (platform).',
  })
  auditEvents(
    @Arg('orgId', () => ID, { nullable: true }) orgId: string | null,
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<ConnectionShape<AuditEvent>> {
    return new AuditService(ctx.em).list(orgId ?? undefined, filter, page);
  }
}
