// Input of createUser.
import { Field, ID, InputType } from 'type-graphql';

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
}
