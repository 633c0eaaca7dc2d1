// Inputs of the organization mutations and the organization list filter.
import { Field, ID, InputType } from 'type-graphql';
import { EntityStatus } from '../../graphql/enums.ts';
import { LimitsInput } from '../limits/limits.input.ts';

const timeZoneDescription = 'IANA time zone (e.g. Europe/Berlin) whose calendar budget periods follow; default UTC.';
const failOpenDescription =
  'true: keys keep working while budgets cannot be checked (the control plane unreachable), marking the usage; ' +
  'false (default): such requests are refused.';

@InputType('CreateOrganizationInput')
export class CreateOrganizationInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Lowercase letters, digits and dashes; derived from the name when omitted.',
  })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: timeZoneDescription })
  timeZone?: string | null;

  @Field(() => Boolean, { nullable: true, description: failOpenDescription })
  budgetFailOpen?: boolean | null;

  @Field(() => LimitsInput, { nullable: true, description: "The org's own budgets and rate limits (ORG scope)." })
  limits?: LimitsInput | null;
}

@InputType('UpdateOrganizationInput', { description: 'Omitted fields stay as they are.' })
export class UpdateOrganizationInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Lowercase letters, digits and dashes.' })
  slug?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `${timeZoneDescription} Changing it starts new daily, weekly and monthly periods.`,
  })
  timeZone?: string | null;

  @Field(() => Boolean, { nullable: true, description: failOpenDescription })
  budgetFailOpen?: boolean | null;
}

@InputType('OrganizationFilter')
export class OrganizationFilter {
  @Field(() => EntityStatus, { nullable: true })
  status?: EntityStatus | null;

  @Field(() => String, { nullable: true, description: 'Part of the name or slug, case-insensitive.' })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only orgs that have enabled this module.' })
  moduleId?: string | null;
}
