// Input of createOrganization.
import { Field, InputType } from 'type-graphql';

@InputType('CreateOrganizationInput')
export class CreateOrganizationInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Lowercase letters, digits and dashes; derived from the name when omitted.',
  })
  slug?: string | null;
}
