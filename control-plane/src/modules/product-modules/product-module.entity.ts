// ORM mapping of the product-module catalogue (global) and of the modules enabled per organization.
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { EntityStatusValue } from '../organizations/organization.entity.ts';

export const ProductModuleEntity = defineEntity({
  name: 'ProductModule',
  tableName: 'product_modules',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** Stable slug callers send in x-gateway-module; fixed once created. */
    key: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    status: p.text().$type<EntityStatusValue>().default('active'),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** Soft delete: usage records keep naming the module's id. */
    deletedAt: p.datetime().nullable(),
  },
});

export type ProductModuleRecord = InferEntity<typeof ProductModuleEntity>;

/** One module enabled for one org (a row exists = enabled), optionally restricted to some models. */
export const OrgModuleEntity = defineEntity({
  name: 'OrgModule',
  tableName: 'org_modules',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    orgId: p.uuid(),
    moduleId: p.uuid(),
    /** null = every model the org's keys may use. */
    allowedModels: p.json<string[]>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type OrgModuleRecord = InferEntity<typeof OrgModuleEntity>;
