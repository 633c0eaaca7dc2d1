// GraphQL shapes of usage aggregates and of the ingestion answer.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('UsageTotals')
export class UsageTotals {
  @Field(() => Int)
  requests!: number;

  @Field(() => Int, { description: 'Requests answered with an error (status >= 400).' })
  errors!: number;

  @Field(() => Float)
  inputTokens!: number;

  @Field(() => Float)
  outputTokens!: number;

  @Field(() => Float)
  costUsd!: number;
}

@ObjectType('OrgUsage')
export class OrgUsage {
  @Field(() => ID)
  orgId!: string;

  @Field(() => String)
  orgName!: string;

  @Field(() => UsageTotals)
  totals!: UsageTotals;
}

@ObjectType('IngestUsagePayload')
export class IngestUsagePayload {
  @Field(() => Int, { description: 'Records stored by this call.' })
  accepted!: number;

  @Field(() => Int, { description: 'Records already held (same requestId); ignored.' })
  duplicates!: number;
}
