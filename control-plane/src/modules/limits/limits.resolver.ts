// GraphQL entry points for budgets and rate limits: org roles read their org's, org admins set those below the org,
// platform admins the org's own and the budget basis; data planes lease budget slices (leaseBudgets).
import type { LeaseResponse } from '@gw/schema';
import { Arg, Ctx, Float, ID, Mutation, Query, Resolver } from 'type-graphql';
import { actorOf, adminOf } from '../../access/authorize.ts';
import type { Context } from '../../context.ts';
import { JSONScalar } from '../../graphql/scalars.ts';
import { LeaseService } from './lease.service.ts';
import { LimitsInput } from './limits.input.ts';
import { type LeaseTiming, LimitsService } from './limits.service.ts';
import { BudgetBasis, BudgetLease, BudgetPeriod, LimitScope, ScopeLimits } from './limits.type.ts';

export const leaseTiming = (ctx: Context): LeaseTiming => ({
  ttlMs: ctx.deps.config.budgetLeaseTtlMs,
  graceMs: ctx.deps.config.budgetLeaseReclaimGraceMs,
});

const service = (ctx: Context) => new LimitsService(ctx.em, leaseTiming(ctx));

@Resolver()
export class LimitsResolver {
  @Query(() => [ScopeLimits], { description: 'Every scope of the org with budgets or rate limits.' })
  limits(@Arg('orgId', () => ID) orgId: string, @Ctx() ctx: Context): Promise<ScopeLimits[]> {
    return service(ctx).list(orgId);
  }

  @Query(() => ScopeLimits, { nullable: true, description: 'null when the scope has no limits.' })
  scopeLimits(
    @Arg('orgId', () => ID) orgId: string,
    @Arg('scope', () => LimitScope) scope: LimitScope,
    @Arg('scopeId', () => ID) scopeId: string,
    @Ctx() ctx: Context,
  ): Promise<ScopeLimits | null> {
    return service(ctx).find({ orgId, scope, scopeId });
  }

  @Query(() => [BudgetLease], { description: "The leases data planes hold on the org's budgets this period." })
  budgetLeases(@Arg('orgId', () => ID) orgId: string, @Ctx() ctx: Context): Promise<BudgetLease[]> {
    return service(ctx).leases(orgId);
  }

  @Query(() => [ScopeLimits], {
    description: 'Org-scope budgets at or above minPercent used in their current period. Platform admins.',
  })
  limitsNearOrOver(
    @Arg('minPercent', () => Float, { nullable: true, defaultValue: 80 }) minPercent: number | null,
    @Ctx() ctx: Context,
  ): Promise<ScopeLimits[]> {
    return service(ctx).nearOrOver(minPercent ?? 80);
  }

  @Query(() => BudgetBasis, { description: 'What budgets count. Platform admins.' })
  budgetBasis(@Ctx() ctx: Context): Promise<BudgetBasis> {
    return service(ctx).basis();
  }

  @Mutation(() => ScopeLimits, {
    description:
      "Replaces the scope's budgets and rate limits. ORG scope: platform admins; org admins set the others, each " +
      "budget at most the org's own of the same period.",
  })
  setLimits(
    @Arg('orgId', () => ID) orgId: string,
    @Arg('scope', () => LimitScope) scope: LimitScope,
    @Arg('scopeId', () => ID) scopeId: string,
    @Arg('input', () => LimitsInput) input: LimitsInput,
    @Ctx() ctx: Context,
  ): Promise<ScopeLimits> {
    return service(ctx).set(adminOf(ctx), { orgId, scope, scopeId }, input);
  }

  @Mutation(() => Boolean, { description: 'Idempotent; answers whether the scope had limits.' })
  removeLimits(
    @Arg('orgId', () => ID) orgId: string,
    @Arg('scope', () => LimitScope) scope: LimitScope,
    @Arg('scopeId', () => ID) scopeId: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return service(ctx).remove(actorOf(ctx), { orgId, scope, scopeId });
  }

  @Mutation(() => ScopeLimits, {
    description: 'What the budget of this period spent so far no longer counts (leases held stay held).',
  })
  resetBudgetPeriod(
    @Arg('orgId', () => ID) orgId: string,
    @Arg('scope', () => LimitScope) scope: LimitScope,
    @Arg('scopeId', () => ID) scopeId: string,
    @Arg('period', () => BudgetPeriod) period: BudgetPeriod,
    @Ctx() ctx: Context,
  ): Promise<ScopeLimits> {
    return service(ctx).reset(actorOf(ctx), { orgId, scope, scopeId }, period);
  }

  @Mutation(() => BudgetBasis, { description: 'Platform admins.' })
  setBudgetBasis(@Arg('basis', () => BudgetBasis) basis: BudgetBasis, @Ctx() ctx: Context): Promise<BudgetBasis> {
    return service(ctx).setBasis(actorOf(ctx), basis);
  }

  @Mutation(() => JSONScalar, {
    description: 'Data planes only. `request` is a contract LeaseRequest; the answer a LeaseResponse.',
  })
  leaseBudgets(@Arg('request', () => JSONScalar) request: unknown, @Ctx() ctx: Context): Promise<LeaseResponse> {
    return new LeaseService(ctx.em, leaseTiming(ctx)).lease(request);
  }
}
