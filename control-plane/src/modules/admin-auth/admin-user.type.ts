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

  @Field(() => AdminRole)
  role!: AdminRole;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  static from(r: AdminUserRecord): AdminUser {
    return Object.assign(new AdminUser(), {
      id: r.id,
      email: r.email,
      role: r.role as AdminRole,
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
