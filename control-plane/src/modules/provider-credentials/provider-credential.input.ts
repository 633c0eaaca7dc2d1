// Inputs of the provider credential mutations and the list filter.
import { Field, ID, InputType } from 'type-graphql';
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

@InputType('UpdateProviderCredentialInput', { description: 'Omitted fields keep their value.' })
export class UpdateProviderCredentialInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  baseUrl?: string | null;
}

@InputType('RotateProviderCredentialInput')
export class RotateProviderCredentialInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    description: 'The new API key; replaces the old one on every data plane within a second. Never returned.',
  })
  apiKey!: string;
}

@InputType('ProviderCredentialFilter')
export class ProviderCredentialFilter {
  @Field(() => ProviderKindEnum, { nullable: true })
  provider?: ProviderKindEnum | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  nameContains?: string | null;
}
