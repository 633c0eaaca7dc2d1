// ORM mapping of the users table and the user<->team membership table.
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { EntityStatusValue } from '../organizations/organization.entity.ts';

export const UserEntity = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    orgId: p.uuid(),
    email: p.text(),
    name: p.text().nullable(),
    status: p.text().$type<EntityStatusValue>().default('active'),
    createdAt: p.datetime().onCreate(() => new Date()),
    deletedAt: p.datetime().nullable(),
  },
});

export type UserRecord = InferEntity<typeof UserEntity>;

/** Membership rows; both teams and users belong to the same org (checked by the service). */
export const UserTeamEntity = defineEntity({
  name: 'UserTeam',
  tableName: 'user_teams',
  properties: {
    userId: p.uuid().primary(),
    teamId: p.uuid().primary(),
  },
});

export type UserTeamRecord = InferEntity<typeof UserTeamEntity>;
