// ORM mapping of virtual keys: only the SHA-256 of the secret and a display prefix are stored, never the secret.
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const VirtualKeyEntity = defineEntity({
  name: 'VirtualKey',
  tableName: 'virtual_keys',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    orgId: p.uuid(),
    teamId: p.uuid().nullable(),
    userId: p.uuid().nullable(),
    name: p.text(),
    prefix: p.text(),
    keyHash: p.text().unique(),
    /** null = every model. */
    allowedModels: p.json<string[]>().nullable(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type VirtualKeyRecord = InferEntity<typeof VirtualKeyEntity>;
