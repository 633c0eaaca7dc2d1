// Inputs of the team mutations and the team list filter.
import { Field, ID, InputType } from 'type-graphql';
import { EntityStatus } from '../../graphql/enums.ts';
import { LimitsInput } from '../limits/limits.input.ts';

@InputType('CreateTeamInput')
export class CreateTeamInput {
  @Field(() => ID)
  orgId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => LimitsInput, { nullable: true, description: "The team's budgets and rate limits." })
  limits?: LimitsInput | null;
}

@InputType('UpdateTeamInput', { description: 'Omitted fields stay as they are.' })
export class UpdateTeamInput {
  @Field(() => String, { nullable: true })
  name?: string | null;
}

@InputType('TeamFilter')
export class TeamFilter {
  @Field(() => EntityStatus, { nullable: true })
  status?: EntityStatus | null;

  @Field(() => String, { nullable: true, description: 'Part of the name, case-insensitive.' })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only teams this user is a member of.' })
  userId?: string | null;
}
