// Input of createProviderCredential.
import { Field, InputType } from 'type-graphql';
import { ProviderKindEnum } from '../../graphql/enums.ts';

@InputType('CreateProviderCredentialInput')
export class CreateProviderCredentialInput {
  @Field(() => String)
  name!: string;

  @Field(() => ProviderKindEnum)
  provider!: ProviderKindEnum;

  @Field(() => String, { description: 'http(s) URL of the provider API, e.g. https://api.openai.com/v1' })
  baseUrl!: string;

  @Field(() => String, { description: 'Stored encrypted; never returned.' })
  apiKey!: string;
}
