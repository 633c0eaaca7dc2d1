// Inputs of the user mutations and the user list filter.
import { Field, ID, InputType } from 'type-graphql';
import { EntityStatus } from '../../graphql/enums.ts';
import { LimitsInput } from '../limits/limits.input.ts';

@InputType('CreateUserInput')
export class CreateUserInput {
  @Field(() => ID)
  orgId!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Teams of the same organization.' })
  teamIds?: string[] | null;

  @Field(() => LimitsInput, { nullable: true, description: "The user's budgets and rate limits." })
  limits?: LimitsInput | null;
}

@InputType('UpdateUserInput', { description: 'Omitted fields stay as they are; a null name clears it.' })
export class UpdateUserInput {
  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;
}

@InputType('UserFilter')
export class UserFilter {
  @Field(() => EntityStatus, { nullable: true })
  status?: EntityStatus | null;

  @Field(() => String, { nullable: true, description: 'Part of the email or name, case-insensitive.' })
  search?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only members of this team.' })
  teamId?: string | null;
}
