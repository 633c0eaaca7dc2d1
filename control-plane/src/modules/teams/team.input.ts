// Input of createTeam.
import { Field, ID, InputType } from 'type-graphql';

@InputType('CreateTeamInput')
export class CreateTeamInput {
  @Field(() => ID)
  orgId!: string;

  @Field(() => String)
  name!: string;
}
