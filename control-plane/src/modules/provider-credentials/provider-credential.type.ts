// GraphQL shape of a provider credential: a masked hint only, never the API key.
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { ProviderKindEnum } from '../../graphql/enums.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { ProviderCredentialRecord } from './provider-credential.entity.ts';

@ObjectType('ProviderCredential', { description: 'Platform admins only.' })
export class ProviderCredential {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ProviderKindEnum)
  provider!: ProviderKindEnum;

  @Field(() => String)
  baseUrl!: string;

  @Field(() => String, { description: 'Masked API key, e.g. `sk-...abcd`.' })
  secretHint!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the API key was last rotated.' })
  rotatedAt!: Date | null;

  static from(r: ProviderCredentialRecord): ProviderCredential {
    return Object.assign(new ProviderCredential(), {
      id: r.id,
      name: r.name,
      provider: r.provider as ProviderKindEnum,
      baseUrl: r.baseUrl,
      secretHint: r.secretHint,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      rotatedAt: r.rotatedAt ?? null,
    });
  }
}

export const ProviderCredentialConnection = connectionType(ProviderCredential, 'ProviderCredential');
