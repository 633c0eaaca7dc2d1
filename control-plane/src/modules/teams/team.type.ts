// GraphQL shape of a team, its connection, and the answer of the membership mutations.
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { EntityStatus } from '../../graphql/enums.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import { User } from '../users/user.type.ts';
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

export const TeamConnection = connectionType(Team, 'Team');

@ObjectType('TeamMembershipPayload')
export class TeamMembershipPayload {
  @Field(() => Team)
  team!: Team;

  @Field(() => User)
  user!: User;
}
