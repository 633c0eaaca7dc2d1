// GraphQL shapes of usage aggregates and of the ingestion answer (accepted, duplicates, rejected records).
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

@ObjectType('RejectedUsageRecord', {
  description: 'A record of the batch that was not stored; resending it cannot help.',
})
export class RejectedUsageRecord {
  @Field(() => Int, { description: "Position in the batch's records." })
  index!: number;

  @Field(() => String, { nullable: true, description: 'The record requestId, when it has a valid one.' })
  requestId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Path of the first bad field inside the record; null when the record itself is wrong.',
  })
  field!: string | null;

  @Field(() => String, { description: "What is wrong, naming the field (never the field's value)." })
  reason!: string;
}

@ObjectType('IngestUsagePayload', {
  description: 'Every record of the batch is in exactly one of accepted, duplicates or rejected.',
})
export class IngestUsagePayload {
  @Field(() => Int, { description: 'Records stored by this call.' })
  accepted!: number;

  @Field(() => Int, { description: 'Valid records already held (same requestId); ignored.' })
  duplicates!: number;

  @Field(() => [RejectedUsageRecord], { description: 'Invalid records, not stored.' })
  rejected!: RejectedUsageRecord[];
}
