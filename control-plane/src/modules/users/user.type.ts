// GraphQL shape of a user (an end user of the gateway inside an org, not an admin), and its connection.
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { EntityStatus } from '../../graphql/enums.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { UserRecord } from './user.entity.ts';

@ObjectType('User')
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orgId!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => EntityStatus)
  status!: EntityStatus;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  static from(r: UserRecord): User {
    return Object.assign(new User(), {
      id: r.id,
      orgId: r.orgId,
      email: r.email,
      name: r.name ?? null,
      status: r.status as EntityStatus,
      createdAt: r.createdAt,
    });
  }
}

export const UserConnection = connectionType(User, 'User');
