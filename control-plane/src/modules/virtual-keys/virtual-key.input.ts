// Inputs of the virtual key mutations and the key list filter.
import { Field, ID, InputType } from 'type-graphql';
import { KeyStatus } from '../../graphql/enums.ts';
import { DateTimeScalar, JSONScalar } from '../../graphql/scalars.ts';
import { LimitsInput } from '../limits/limits.input.ts';
import { KeyOwnerKind } from './virtual-key.type.ts';

@InputType('CreateVirtualKeyInput', {
  description:
    'A key is owned by exactly one user (userId; teamId then optionally names one of their teams for attribution) ' +
    'or one team (teamId alone).',
})
export class CreateVirtualKeyInput {
  @Field(() => ID)
  orgId!: string;

  @Field(() => ID, { nullable: true, description: 'The owning user, of the same organization.' })
  userId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "Without userId: the owning team. With userId: one of the user's teams, for attribution.",
  })
  teamId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "A module enabled for the organization; the key's requests go to it.",
  })
  moduleId?: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "Short handle (lowercase letters, digits, dashes), unique among the org's unrevoked keys.",
  })
  alias?: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'A JSON object of at most 4 KiB, for your own use.' })
  metadata?: unknown;

  @Field(() => [String], { nullable: true, description: 'Names of existing models; null = every model.' })
  allowedModels?: string[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Must be in the future.' })
  expiresAt?: Date | null;

  @Field(() => LimitsInput, { nullable: true, description: "The key's budgets and rate limits." })
  limits?: LimitsInput | null;
}

@InputType('UpdateVirtualKeyInput', {
  description: 'Omitted fields stay as they are; null clears (alias, module, attribution team, expiry, model list).',
})
export class UpdateVirtualKeyInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  alias?: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'Replaces the metadata; null = an empty object.' })
  metadata?: unknown;

  @Field(() => [String], { nullable: true, description: 'null = every model.' })
  allowedModels?: string[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Must be in the future; null = never expires.' })
  expiresAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'A module enabled for the organization; null = no binding.' })
  moduleId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: "User-owned keys only: one of the user's teams for attribution; null = none.",
  })
  teamId?: string | null;
}

@InputType('VirtualKeyFilter')
export class VirtualKeyFilter {
  @Field(() => KeyStatus, { nullable: true })
  status?: KeyStatus | null;

  @Field(() => String, { nullable: true, description: 'Part of the name, alias or prefix, case-insensitive.' })
  search?: string | null;

  @Field(() => KeyOwnerKind, { nullable: true })
  ownerKind?: KeyOwnerKind | null;

  @Field(() => ID, { nullable: true, description: 'Keys owned by this user.' })
  userId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Keys owned by, or attributed to, this team.' })
  teamId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Keys bound to this module.' })
  moduleId?: string | null;
}
