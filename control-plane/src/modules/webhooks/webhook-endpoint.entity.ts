// ORM mapping of webhook endpoints: the signing secret is stored only AES-256-GCM sealed (crypto/secret-box.ts).
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const WebhookEndpointEntity = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** null: the platform's endpoint, which receives the alerts of every org. */
    orgId: p.uuid().nullable(),
    url: p.text(),
    description: p.text().nullable(),
    enabled: p.boolean(),
    secretCiphertext: p.blob(),
    secretIv: p.blob(),
    secretTag: p.blob(),
    /** Safe to display, e.g. `whsec_...abcd`. */
    secretHint: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    secretRotatedAt: p.datetime().nullable(),
  },
});

export type WebhookEndpointRecord = InferEntity<typeof WebhookEndpointEntity>;
