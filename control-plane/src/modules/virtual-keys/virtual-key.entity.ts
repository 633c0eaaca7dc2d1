// ORM mapping of virtual keys: only the SHA-256 of the secret and a display prefix are stored, never the secret.
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * A key has exactly one owner: a user (then `teamId`, when set, is the team its usage is attributed to, one of the
 * user's teams) or a team (`userId` null). A database check keeps at least one of the two set on unrevoked keys.
 */
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
    /** The product module the key's requests are attributed to; null = none (or the x-gateway-module header). */
    moduleId: p.uuid().nullable(),
    name: p.text(),
    /** Short lowercase handle, unique among the org's unrevoked keys. */
    alias: p.text().nullable(),
    /** A JSON object (the database default is {}). */
    metadata: p.json<Record<string, unknown>>(),
    prefix: p.text(),
    keyHash: p.text().unique(),
    /** The secret replaced by the last rotation; accepted until previousExpiresAt. */
    previousKeyHash: p.text().nullable(),
    previousPrefix: p.text().nullable(),
    previousExpiresAt: p.datetime().nullable(),
    rotatedAt: p.datetime().nullable(),
    /** null = every model. */
    allowedModels: p.json<string[]>().nullable(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type VirtualKeyRecord = InferEntity<typeof VirtualKeyEntity>;
