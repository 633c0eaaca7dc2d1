// GraphQL shapes of admin users and the login answer (the password hash never leaves the service).
import { Field, ID, ObjectType } from 'type-graphql';
import { AdminRole } from '../../graphql/enums.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { AdminUserRecord } from './admin-user.entity.ts';

@ObjectType('AdminUser')
export class AdminUser {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => AdminRole)
  role!: AdminRole;

  @Field(() => ID, { nullable: true, description: 'null for platform admins.' })
  orgId!: string | null;

  @Field(() => Boolean, { description: 'A disabled admin cannot log in.' })
  disabled!: boolean;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  static from(r: AdminUserRecord): AdminUser {
    return Object.assign(new AdminUser(), {
      id: r.id,
      email: r.email,
      name: r.name ?? null,
      role: r.role as AdminRole,
      orgId: r.orgId ?? null,
      disabled: Boolean(r.disabledAt),
      createdAt: r.createdAt,
    });
  }
}

@ObjectType('LoginPayload')
export class LoginPayload {
  @Field(() => String, { description: 'Bearer token for later requests; expires.' })
  token!: string;

  @Field(() => AdminUser)
  admin!: AdminUser;
}
