// GraphQL shape of a budget alert and its connection.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import { BudgetPeriod, LimitScope } from '../limits/limits.type.ts';

export enum BudgetAlertKind {
  THRESHOLD = 'threshold',
  FAIL_OPEN = 'fail_open',
}
registerEnumType(BudgetAlertKind, {
  name: 'BudgetAlertKind',
  valuesConfig: {
    THRESHOLD: { description: "A budget's spend in one period reached one of its alert thresholds (once per period)." },
    FAIL_OPEN: {
      description: 'Requests of a fail-open org were served without a budget check (once per org and hour).',
    },
  },
});

@ObjectType('BudgetAlert')
export class BudgetAlert {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orgId!: string;

  @Field(() => String)
  orgName!: string;

  @Field(() => BudgetAlertKind)
  kind!: BudgetAlertKind;

  @Field(() => LimitScope, { nullable: true, description: 'THRESHOLD: the scope of the budget.' })
  scope!: LimitScope | null;

  @Field(() => ID, { nullable: true })
  scopeId!: string | null;

  @Field(() => String, { nullable: true, description: 'The name of the team, user, key or module (null once gone).' })
  scopeName!: string | null;

  @Field(() => ID, { nullable: true, description: 'THRESHOLD: the budget (scope limits) it is about.' })
  limitId!: string | null;

  @Field(() => BudgetPeriod, { nullable: true })
  period!: BudgetPeriod | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'THRESHOLD: start of the budget period. FAIL_OPEN: start of the hour the requests were served in.',
  })
  periodStart!: Date | null;

  @Field(() => Int, { nullable: true, description: 'THRESHOLD: the percentage of the budget reached.' })
  threshold!: number | null;

  @Field(() => String, { nullable: true, description: 'THRESHOLD: USD spent in the period when it was raised.' })
  spentUsd!: string | null;

  @Field(() => String, { nullable: true, description: 'THRESHOLD: the budget in USD.' })
  limitUsd!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'FAIL_OPEN: requests served unchecked in that hour (so far; it grows as their usage arrives).',
  })
  uncheckedRecords!: number | null;

  @Field(() => String)
  message!: string;

  @Field(() => DateTimeScalar)
  raisedAt!: Date;
}

export const BudgetAlertConnection = connectionType(BudgetAlert, 'BudgetAlert');

@InputType('BudgetAlertFilter')
export class BudgetAlertFilter {
  @Field(() => BudgetAlertKind, { nullable: true })
  kind?: BudgetAlertKind | null;

  @Field(() => ID, { nullable: true, description: 'Alerts of this budget only.' })
  limitId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Raised at or after this time.' })
  from?: Date | null;
}
