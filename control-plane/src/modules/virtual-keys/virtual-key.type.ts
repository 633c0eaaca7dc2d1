// GraphQL shape of a virtual key: the prefix only; the secret is returned once by createVirtualKey, the hash never.
import { Field, ID, ObjectType } from 'type-graphql';
import { KeyStatus } from '../../graphql/enums.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { VirtualKeyRecord } from './virtual-key.entity.ts';

export function keyStatus(r: Pick<VirtualKeyRecord, 'revokedAt' | 'expiresAt'>, now = new Date()): KeyStatus {
  if (r.revokedAt) return KeyStatus.REVOKED;
  if (r.expiresAt && r.expiresAt.getTime() <= now.getTime()) return KeyStatus.EXPIRED;
  return KeyStatus.ACTIVE;
}

@ObjectType('VirtualKey')
export class VirtualKey {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orgId!: string;

  @Field(() => ID, { nullable: true })
  teamId!: string | null;

  @Field(() => ID, { nullable: true })
  userId!: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The first characters of the secret, to recognise a key.' })
  prefix!: string;

  @Field(() => [String], { nullable: true, description: 'null = every model.' })
  allowedModels!: string[] | null;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => KeyStatus)
  status!: KeyStatus;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  static from(r: VirtualKeyRecord): VirtualKey {
    return Object.assign(new VirtualKey(), {
      id: r.id,
      orgId: r.orgId,
      teamId: r.teamId ?? null,
      userId: r.userId ?? null,
      name: r.name,
      prefix: r.prefix,
      allowedModels: r.allowedModels ?? null,
      expiresAt: r.expiresAt ?? null,
      revokedAt: r.revokedAt ?? null,
      lastUsedAt: r.lastUsedAt ?? null,
      status: keyStatus(r),
      createdAt: r.createdAt,
    });
  }
}

@ObjectType('CreateVirtualKeyPayload')
export class CreateVirtualKeyPayload {
  @Field(() => VirtualKey)
  virtualKey!: VirtualKey;

  @Field(() => String, { description: 'The key itself. Shown only in this answer; store it now.' })
  secret!: string;
}
