// ORM mapping of public models: a unique public name and its prices; where it routes is in model_deployments.
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const ModelEntity = defineEntity({
  name: 'Model',
  tableName: 'models',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** Fixed once created: clients, key allow-lists and org availability name models by it. */
    name: p.text().unique(),
    /** USD per million tokens; numeric in the database so sums stay exact. */
    inputPricePerMTok: p.decimal('number'),
    outputPricePerMTok: p.decimal('number'),
    cachedInputPricePerMTok: p.decimal('number'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export type ModelRecord = InferEntity<typeof ModelEntity>;
