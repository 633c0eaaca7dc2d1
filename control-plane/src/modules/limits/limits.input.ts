// Inputs of the limit mutations: a scope's whole set of budgets (decimal USD text) and rate limits.
import { Field, InputType, Int } from 'type-graphql';

@InputType('BudgetsInput', {
  description:
    'Decimal USD such as "12.5": greater than 0, at most 9 decimals, at most 9000000. Omitted or null = none.',
})
export class BudgetsInput {
  @Field(() => String, { nullable: true })
  daily?: string | null;

  @Field(() => String, { nullable: true })
  weekly?: string | null;

  @Field(() => String, { nullable: true })
  monthly?: string | null;

  @Field(() => String, { nullable: true })
  total?: string | null;
}

@InputType('LimitsInput', {
  description:
    "Replaces the scope's whole set; at least one budget, rpm or tpm. alertThresholds default to [50, 80, 100].",
})
export class LimitsInput {
  @Field(() => BudgetsInput, { nullable: true })
  budgets?: BudgetsInput | null;

  @Field(() => Int, { nullable: true, description: 'Requests per minute (> 0).' })
  rpm?: number | null;

  @Field(() => Int, { nullable: true, description: 'Tokens per minute (> 0).' })
  tpm?: number | null;

  @Field(() => [Int], { nullable: true, description: 'Percentages 1-100, each at most once.' })
  alertThresholds?: number[] | null;
}
