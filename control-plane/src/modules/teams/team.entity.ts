// ORM mapping of the teams table: a team belongs to exactly one organization.
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { EntityStatusValue } from '../organizations/organization.entity.ts';

export const TeamEntity = defineEntity({
  name: 'Team',
  tableName: 'teams',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    orgId: p.uuid(),
    name: p.text(),
    status: p.text().$type<EntityStatusValue>().default('active'),
    createdAt: p.datetime().onCreate(() => new Date()),
    deletedAt: p.datetime().nullable(),
  },
});

export type TeamRecord = InferEntity<typeof TeamEntity>;
