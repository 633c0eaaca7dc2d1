// Organization.limits, Team.limits, User.limits and VirtualKey.limits: each scope's own limits, loaded for every
// parent of a level at once.
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.ts';
import { Organization } from '../organizations/organization.type.ts';
import { Team } from '../teams/team.type.ts';
import { User } from '../users/user.type.ts';
import { VirtualKey } from '../virtual-keys/virtual-key.type.ts';
import { leaseTiming } from './limits.resolver.ts';
import { ScopeLimits } from './limits.type.ts';

const description = 'Its budgets and rate limits; null when none are set.';

@Resolver(() => Organization)
export class OrganizationLimitsResolver {
  @FieldResolver(() => ScopeLimits, { nullable: true, description })
  limits(@Root() org: Organization, @Ctx() ctx: Context): Promise<ScopeLimits | null> {
    return ctx.loaders.limitsOfScope.load({ orgId: org.id, scope: 'org', scopeId: org.id, timing: leaseTiming(ctx) });
  }
}

@Resolver(() => Team)
export class TeamLimitsResolver {
  @FieldResolver(() => ScopeLimits, { nullable: true, description })
  limits(@Root() team: Team, @Ctx() ctx: Context): Promise<ScopeLimits | null> {
    return ctx.loaders.limitsOfScope.load({
      orgId: team.orgId,
      scope: 'team',
      scopeId: team.id,
      timing: leaseTiming(ctx),
    });
  }
}

@Resolver(() => User)
export class UserLimitsResolver {
  @FieldResolver(() => ScopeLimits, { nullable: true, description })
  limits(@Root() user: User, @Ctx() ctx: Context): Promise<ScopeLimits | null> {
    return ctx.loaders.limitsOfScope.load({
      orgId: user.orgId,
      scope: 'user',
      scopeId: user.id,
      timing: leaseTiming(ctx),
    });
  }
}

@Resolver(() => VirtualKey)
export class VirtualKeyLimitsResolver {
  @FieldResolver(() => ScopeLimits, { nullable: true, description })
  limits(@Root() key: VirtualKey, @Ctx() ctx: Context): Promise<ScopeLimits | null> {
    return ctx.loaders.limitsOfScope.load({
      orgId: key.orgId,
      scope: 'key',
      scopeId: key.id,
      timing: leaseTiming(ctx),
    });
  }
}
