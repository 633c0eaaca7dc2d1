// GraphQL shape of a team.
import { Field, ID, ObjectType } from 'type-graphql';
import { EntityStatus } from '../../graphql/enums.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { TeamRecord } from './team.entity.ts';

@ObjectType('Team')
export class Team {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orgId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => EntityStatus)
  status!: EntityStatus;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  static from(r: TeamRecord): Team {
    return Object.assign(new Team(), {
      id: r.id,
      orgId: r.orgId,
      name: r.name,
      status: r.status as EntityStatus,
      createdAt: r.createdAt,
    });
  }
}
