// ORM mapping of public models: a unique public name routed to one upstream model through one credential.
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
    name: p.text().unique(),
    credentialId: p.uuid(),
    upstreamModel: p.text(),
    /** USD per million tokens; numeric in the database so sums stay exact. */
    inputPricePerMTok: p.decimal('number'),
    outputPricePerMTok: p.decimal('number'),
    cachedInputPricePerMTok: p.decimal('number'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type ModelRecord = InferEntity<typeof ModelEntity>;
