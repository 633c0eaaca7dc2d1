// GraphQL shapes of billing settings: the effective settings of an org (its own or the platform default) and input.
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.ts';

export enum BillingSettingsSource {
  ORG = 'org',
  PLATFORM_DEFAULT = 'default',
}

registerEnumType(BillingSettingsSource, {
  name: 'BillingSettingsSource',
  description: "ORG: the org's own settings; PLATFORM_DEFAULT: the org has none and follows the platform default.",
});

@ObjectType('BillingSettings')
export class BillingSettings {
  @Field(() => ID, { nullable: true, description: 'The org these settings apply to; null for the platform default.' })
  orgId!: string | null;

  @Field(() => BillingSettingsSource)
  source!: BillingSettingsSource;

  @Field(() => Float, {
    description: 'Percentage added to provider cost: 20 bills 120% of it, -10 bills 90%. From -100 to 1000.',
  })
  markupPercent!: number;

  @Field(() => String, { description: 'ISO 4217 code of the billing currency, e.g. EUR.' })
  currency!: string;

  @Field(() => Float, { description: 'Units of `currency` per US dollar (1 for USD).' })
  exchangeRate!: number;

  @Field(() => Int, { description: 'Day of the month (1-28, UTC) on which each monthly billing period starts.' })
  periodAnchorDay!: number;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => String, { description: 'Who last changed them (an email, an API token name, ADMIN_TOKEN).' })
  updatedBy!: string;
}

@InputType('BillingSettingsInput', {
  description:
    'Omitted fields keep their current effective value. Changing the currency to anything but USD needs its exchangeRate.',
})
export class BillingSettingsInput {
  @Field(() => Float, { nullable: true, description: 'From -100 to 1000, at most 4 decimals.' })
  markupPercent?: number | null;

  @Field(() => String, { nullable: true, description: 'Uppercase ISO 4217 code.' })
  currency?: string | null;

  @Field(() => Float, { nullable: true, description: 'Greater than 0, at most 1000000, at most 10 decimals.' })
  exchangeRate?: number | null;

  @Field(() => Int, { nullable: true, description: '1-28.' })
  periodAnchorDay?: number | null;
}
