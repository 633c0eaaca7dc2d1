// GraphQL shapes of API tokens, their inputs, and the one answer that carries the token itself.
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { AdminRole, KeyStatus } from '../../graphql/enums.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { ApiTokenRecord } from './api-token.entity.ts';

@ObjectType('ApiToken')
export class ApiToken {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The first characters of the token, to recognise it.' })
  prefix!: string;

  @Field(() => AdminRole)
  role!: AdminRole;

  @Field(() => ID, { nullable: true, description: 'null = platform scope.' })
  orgId!: string | null;

  @Field(() => String, { description: 'Who created it (email, token name or ADMIN_TOKEN).' })
  createdBy!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'To the minute.' })
  lastUsedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => KeyStatus)
  status!: KeyStatus;

  static from(r: ApiTokenRecord, now = new Date()): ApiToken {
    let status = KeyStatus.ACTIVE;
    if (r.revokedAt) status = KeyStatus.REVOKED;
    else if (r.expiresAt && r.expiresAt.getTime() <= now.getTime()) status = KeyStatus.EXPIRED;
    return Object.assign(new ApiToken(), {
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      role: r.role as AdminRole,
      orgId: r.orgId ?? null,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt ?? null,
      lastUsedAt: r.lastUsedAt ?? null,
      revokedAt: r.revokedAt ?? null,
      status,
    });
  }
}

@ObjectType('CreateApiTokenPayload')
export class CreateApiTokenPayload {
  @Field(() => ApiToken)
  apiToken!: ApiToken;

  @Field(() => String, { description: 'The token itself (`gwt_…`). Shown only in this answer; store it now.' })
  token!: string;
}

@InputType('CreateApiTokenInput')
export class CreateApiTokenInput {
  @Field(() => String)
  name!: string;

  @Field(() => AdminRole)
  role!: AdminRole;

  @Field(() => ID, { nullable: true, description: 'Required for ORG_ADMIN and ORG_VIEWER; null for PLATFORM_ADMIN.' })
  orgId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  expiresAt?: Date | null;
}

@InputType('ApiTokenFilter')
export class ApiTokenFilter {
  @Field(() => Boolean, { nullable: true, description: 'Include revoked and expired tokens (default false).' })
  includeInactive?: boolean | null;
}
