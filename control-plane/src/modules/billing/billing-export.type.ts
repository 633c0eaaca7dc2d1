// GraphQL shape of a billing export: the CSV text and what it was computed with.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.ts';

@ObjectType('BillingExport', {
  description:
    'Usage of one org over one billing period, one CSV line per (team, user, key, module, model) plus a total line; ' +
    'amounts are exact decimals (see docs/api-guide.md for the columns).',
})
export class BillingExport {
  @Field(() => ID)
  orgId!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM of a monthly period; null for an explicit from/to.' })
  period!: string | null;

  @Field(() => DateTimeScalar)
  from!: Date;

  @Field(() => DateTimeScalar, { description: 'Exclusive.' })
  to!: Date;

  @Field(() => String)
  currency!: string;

  @Field(() => Float)
  markupPercent!: number;

  @Field(() => Float)
  exchangeRate!: number;

  @Field(() => Int, { description: 'Usage lines (the total line not counted).' })
  lineCount!: number;

  @Field(() => String, { description: 'Provider cost in USD before markup, exact decimal text.' })
  totalProviderCostUsd!: string;

  @Field(() => String, { description: 'Sum of the billed line amounts in `currency`, exact decimal text.' })
  totalBilledAmount!: string;

  @Field(() => String, { description: 'A file name for the CSV, e.g. usage-acme-2026-11.csv.' })
  filename!: string;

  @Field(() => String, { description: 'RFC 4180 CSV (UTF-8, CRLF line ends) with a header row.' })
  csv!: string;
}
