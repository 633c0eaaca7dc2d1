// Input of createVirtualKey.
import { Field, ID, InputType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.ts';

@InputType('CreateVirtualKeyInput')
export class CreateVirtualKeyInput {
  @Field(() => ID)
  orgId!: string;

  @Field(() => ID, { nullable: true, description: 'A team of the same organization.' })
  teamId?: string | null;

  @Field(() => ID, { nullable: true, description: 'A user of the same organization.' })
  userId?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => [String], { nullable: true, description: 'Public model names; null = every model.' })
  allowedModels?: string[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Must be in the future.' })
  expiresAt?: Date | null;
}
