// GraphQL shape of a virtual key: the prefix only; the secret is returned once (on creation and on rotation), the
// hash never.
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { KeyStatus } from '../../graphql/enums.ts';
import { DateTimeScalar, JSONScalar } from '../../graphql/scalars.ts';
import type { VirtualKeyRecord } from './virtual-key.entity.ts';

export enum KeyOwnerKind {
  USER = 'user',
  TEAM = 'team',
}

registerEnumType(KeyOwnerKind, { name: 'KeyOwnerKind' });

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

  @Field(() => KeyOwnerKind, { description: 'USER: owned by userId; TEAM: owned by teamId.' })
  ownerKind!: KeyOwnerKind;

  @Field(() => ID, { nullable: true, description: 'The owning team, or (for user-owned keys) the attribution team.' })
  teamId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The owning user (user-owned keys).' })
  userId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The module the key is bound to.' })
  moduleId!: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  alias!: string | null;

  @Field(() => JSONScalar)
  metadata!: Record<string, unknown>;

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

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the secret was last replaced.' })
  rotatedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Prefix of the secret the last rotation replaced.' })
  previousPrefix!: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'The replaced secret is accepted until then (the grace period of the last rotation).',
  })
  previousSecretValidUntil!: Date | null;

  @Field(() => KeyStatus)
  status!: KeyStatus;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  static from(r: VirtualKeyRecord): VirtualKey {
    return Object.assign(new VirtualKey(), {
      id: r.id,
      orgId: r.orgId,
      ownerKind: r.userId ? KeyOwnerKind.USER : KeyOwnerKind.TEAM,
      teamId: r.teamId ?? null,
      userId: r.userId ?? null,
      moduleId: r.moduleId ?? null,
      name: r.name,
      alias: r.alias ?? null,
      metadata: r.metadata ?? {},
      prefix: r.prefix,
      allowedModels: r.allowedModels ?? null,
      expiresAt: r.expiresAt ?? null,
      revokedAt: r.revokedAt ?? null,
      lastUsedAt: r.lastUsedAt ?? null,
      rotatedAt: r.rotatedAt ?? null,
      previousPrefix: r.previousKeyHash ? (r.previousPrefix ?? null) : null,
      previousSecretValidUntil: r.previousExpiresAt ?? null,
      status: keyStatus(r),
      createdAt: r.createdAt,
    });
  }
}

export const VirtualKeyConnection = connectionType(VirtualKey, 'VirtualKey');

@ObjectType('CreateVirtualKeyPayload')
export class CreateVirtualKeyPayload {
  @Field(() => VirtualKey)
  virtualKey!: VirtualKey;

  @Field(() => String, { description: 'The key itself. Shown only in this answer; store it now.' })
  secret!: string;
}

@ObjectType('RotateVirtualKeyPayload')
export class RotateVirtualKeyPayload {
  @Field(() => VirtualKey)
  virtualKey!: VirtualKey;

  @Field(() => String, {
    description: 'The new secret. Shown only in this answer; the old one works until previousSecretValidUntil.',
  })
  secret!: string;
}
