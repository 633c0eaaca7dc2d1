// GraphQL shape of an organization (separate from the ORM entity so storage details never leak), and its connection.
import { Field, ID, ObjectType } from 'type-graphql';
import { connectionType } from '../../graphql/connection.ts';
import { EntityStatus } from '../../graphql/enums.ts';
import { DateTimeScalar } from '../../graphql/scalars.ts';
import type { OrganizationRecord } from './organization.entity.ts';

@ObjectType('Organization')
export class Organization {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  slug!: string;

  @Field(() => EntityStatus)
  status!: EntityStatus;

  @Field(() => String, { description: 'IANA time zone whose calendar budget periods follow.' })
  timeZone!: string;

  @Field(() => Boolean, { description: 'Keys keep working (usage marked) while budgets cannot be checked.' })
  budgetFailOpen!: boolean;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  static from(r: OrganizationRecord): Organization {
    return Object.assign(new Organization(), {
      id: r.id,
      name: r.name,
      slug: r.slug,
      status: r.status as EntityStatus,
      timeZone: r.timeZone,
      budgetFailOpen: r.budgetFailOpen,
      createdAt: r.createdAt,
    });
  }
}

export const OrganizationConnection = connectionType(Organization, 'Organization');
