// GraphQL shapes of usage aggregates (totals, series points, top-N), their filter, and the ingestion answer.
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';

@ObjectType('UsageTotals')
export class UsageTotals {
  @Field(() => Float, { description: 'A whole number (Float because GraphQL Int has 32 bits).' })
  requests!: number;

  @Field(() => Float, { description: 'Requests answered with an error (status >= 400). A whole number.' })
  errors!: number;

  @Field(() => Float)
  inputTokens!: number;

  @Field(() => Float)
  outputTokens!: number;

  @Field(() => Float, { description: 'Cached input tokens (counted inside inputTokens too).' })
  cachedInputTokens!: number;

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

export const OrgUsageConnection = connectionType(OrgUsage, 'OrgUsage');

@InputType('OrgUsageFilter')
export class OrgUsageFilter {
  @Field(() => String, { nullable: true, description: 'Part of the org name, any case.' })
  search?: string | null;
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

export enum UsageDimension {
  ORG = 'org',
  TEAM = 'team',
  USER = 'user',
  KEY = 'key',
  MODULE = 'module',
  MODEL = 'model',
  PROVIDER = 'provider',
}

export enum UsageBucket {
  HOUR = 'hour',
  DAY = 'day',
  MONTH = 'month',
}

export enum UsageMetric {
  COST = 'cost',
  REQUESTS = 'requests',
  TOKENS = 'tokens',
}

registerEnumType(UsageDimension, {
  name: 'UsageDimension',
  description: 'What usage can be grouped and filtered by. ORG only for platform-wide queries (orgId: null).',
});
registerEnumType(UsageBucket, { name: 'UsageBucket', description: 'UTC calendar hours, days or months.' });
registerEnumType(UsageMetric, {
  name: 'UsageMetric',
  description: 'COST: provider cost in USD; REQUESTS; TOKENS: input + output tokens.',
});

const countNote = 'A whole number (Float because GraphQL Int has 32 bits).';

@ObjectType('UsageAmounts', { description: 'Sums over the records of a window.' })
export class UsageAmounts {
  @Field(() => Float, { description: countNote })
  requests!: number;

  @Field(() => Float, { description: `Requests answered with an error (status >= 400). ${countNote}` })
  errors!: number;

  @Field(() => Float)
  inputTokens!: number;

  @Field(() => Float)
  outputTokens!: number;

  @Field(() => Float, { description: 'Cached input tokens (counted inside inputTokens too).' })
  cachedInputTokens!: number;

  @Field(() => Float, { description: 'Provider cost in USD, before any markup or discount.' })
  costUsd!: number;
}

@ObjectType('UsagePoint', {
  description:
    'Sums for one time bucket and one combination of the grouped dimensions. A dimension field is null when it ' +
    'is not in groupBy, or when the records have no value for it (e.g. no team).',
})
export class UsagePoint extends UsageAmounts {
  @Field(() => DateTimeScalar, {
    description: 'Start of the UTC bucket; the first and last buckets may extend beyond [from, to), counted inside it.',
  })
  bucketStart!: Date;

  @Field(() => ID, { nullable: true })
  orgId!: string | null;

  @Field(() => ID, { nullable: true })
  teamId!: string | null;

  @Field(() => ID, { nullable: true })
  userId!: string | null;

  @Field(() => ID, { nullable: true })
  keyId!: string | null;

  @Field(() => ID, { nullable: true })
  moduleId!: string | null;

  @Field(() => String, { nullable: true })
  model!: string | null;

  @Field(() => String, { nullable: true })
  provider!: string | null;
}

export const UsagePointConnection = connectionType(UsagePoint, 'UsagePoint');

@ObjectType('UsageTopEntry', { description: 'Sums for one value of the ranked dimension.' })
export class UsageTopEntry extends UsageAmounts {
  @Field(() => String, {
    nullable: true,
    description: 'The id (or model/provider name) ranked; null for records without a value (e.g. no team).',
  })
  value!: string | null;
}

@InputType('UsageFilter', {
  description: 'Records matching every given list (any value within a list). Omitted lists do not filter.',
})
export class UsageFilter {
  @Field(() => [ID], { nullable: true, description: 'Platform-wide queries only.' })
  orgIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  teamIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  userIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  keyIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  moduleIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Public model names.' })
  models?: string[] | null;

  @Field(() => [String], { nullable: true })
  providers?: string[] | null;
}

@ObjectType('UsageUpdate', {
  description:
    'Usage of one org ingested since the previous update about it (at most about one update a second per org). ' +
    'A hint for live views: updates are not replayed after a disconnect, so re-read the aggregates for exact figures.',
})
export class UsageUpdate extends UsageAmounts {
  @Field(() => ID)
  orgId!: string;

  @Field(() => DateTimeScalar, { description: 'Timestamp of the oldest record counted in this update.' })
  earliestAt!: Date;

  @Field(() => DateTimeScalar, { description: 'Timestamp of the newest record counted in this update.' })
  latestAt!: Date;

  @Field(() => DateTimeScalar, { description: 'When the control plane sent this update.' })
  sentAt!: Date;
}
