// ORM mapping of the organizations table (the tenant root).
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export type EntityStatusValue = 'active' | 'suspended';

export const OrganizationEntity = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    name: p.text(),
    slug: p.text().unique(),
    status: p.text().$type<EntityStatusValue>().default('active'),
    /** IANA name; budget periods follow its calendar. */
    timeZone: p.text().default('UTC'),
    /** Keep serving while budgets cannot be checked (marking the usage records), instead of refusing. */
    budgetFailOpen: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** Soft delete: deleted orgs keep their usage history but vanish from the API and the snapshot. */
    deletedAt: p.datetime().nullable(),
  },
});

export type OrganizationRecord = InferEntity<typeof OrganizationEntity>;
