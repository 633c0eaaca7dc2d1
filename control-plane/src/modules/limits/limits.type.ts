// GraphQL shapes of budgets and rate limits: what is set on a scope, each budget's status in its current period,
// and the leases data planes hold. Money is exact decimal USD text.
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.ts';

export enum LimitScope {
  ORG = 'org',
  TEAM = 'team',
  USER = 'user',
  KEY = 'key',
  MODULE = 'module',
}

export enum BudgetPeriod {
  DAILY = 'daily',
  WEEKLY = 'weekly',
  MONTHLY = 'monthly',
  TOTAL = 'total',
}

export enum BudgetBasis {
  PROVIDER_COST = 'provider_cost',
  BILLED_COST = 'billed_cost',
}

registerEnumType(LimitScope, {
  name: 'LimitScope',
  description: 'Where a budget or rate limit applies; MODULE is a catalogue module within one org.',
});
registerEnumType(BudgetPeriod, {
  name: 'BudgetPeriod',
  description: "Calendar periods in the org's time zone (weeks start on Monday); TOTAL never resets.",
});
registerEnumType(BudgetBasis, {
  name: 'BudgetBasis',
  description: 'What budgets count: provider cost (the default) or billed cost (provider cost with the org markup).',
});

@ObjectType('BudgetStatus', { description: 'One budget in its current period.' })
export class BudgetStatus {
  @Field(() => BudgetPeriod)
  period!: BudgetPeriod;

  @Field(() => String, { description: 'USD.' })
  limitUsd!: string;

  @Field(() => String, { description: 'Recorded spend this period (after manual resets), USD.' })
  spentUsd!: string;

  @Field(() => String, { description: 'Held by data planes in live leases and not yet spent, USD.' })
  reservedUsd!: string;

  @Field(() => String, { description: 'Neither spent nor held, USD.' })
  remainingUsd!: string;

  @Field(() => Float, { description: 'spent / limit x 100.' })
  usedPercent!: number;

  @Field(() => DateTimeScalar)
  periodStart!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'null for TOTAL.' })
  resetsAt!: Date | null;
}

@ObjectType('ScopeLimits', { description: 'The budgets and rate limits set on one scope.' })
export class ScopeLimits {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orgId!: string;

  @Field(() => LimitScope)
  scope!: LimitScope;

  @Field(() => ID, { description: "The org's, team's, user's or key's id, or the catalogue module's id." })
  scopeId!: string;

  @Field(() => String, { description: "The org's, team's, key's or module's name, or the user's email." })
  scopeName!: string;

  @Field(() => Int, { nullable: true, description: 'Requests per minute, all data planes together.' })
  rpm!: number | null;

  @Field(() => Int, { nullable: true, description: 'Tokens (input + output) per minute, all data planes together.' })
  tpm!: number | null;

  @Field(() => [Int], { description: 'Percentages of a budget at which alerts fire.' })
  alertThresholds!: number[];

  @Field(() => [BudgetStatus], { description: 'One per period with a budget, DAILY to TOTAL.' })
  budgets!: BudgetStatus[];

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@ObjectType('BudgetLease', { description: "A data plane's lease on one budget in its current period." })
export class BudgetLease {
  @Field(() => ID)
  limitId!: string;

  @Field(() => LimitScope)
  scope!: LimitScope;

  @Field(() => ID)
  scopeId!: string;

  @Field(() => BudgetPeriod)
  period!: BudgetPeriod;

  @Field(() => DateTimeScalar)
  periodStart!: Date;

  @Field(() => String)
  nodeId!: string;

  @Field(() => String, { description: 'The data-plane process start the lease belongs to.' })
  bootId!: string;

  @Field(() => String, { description: 'Granted this period so far, USD.' })
  grantedUsd!: string;

  @Field(() => String, { description: 'Given back for good, USD.' })
  returnedUsd!: string;

  @Field(() => String, { description: "Recorded spend of this data plane's usage, USD." })
  spentUsd!: string;

  @Field(() => String, { description: 'Granted, not returned and not yet spent (0 once expired), USD.' })
  heldUsd!: string;

  @Field(() => DateTimeScalar)
  lastSeenAt!: Date;

  @Field(() => Boolean, { description: 'Not renewed within the TTL and grace: only its spend still counts.' })
  expired!: boolean;
}
