// ORM mapping of provider credentials: the API key is stored only AES-256-GCM encrypted (see crypto/secret-box.ts).
import { randomUUID } from 'node:crypto';
import type { ProviderKind } from '@gw/schema';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const ProviderCredentialEntity = defineEntity({
  name: 'ProviderCredential',
  tableName: 'provider_credentials',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    name: p.text().unique(),
    provider: p.text().$type<ProviderKind>(),
    baseUrl: p.text(),
    secretCiphertext: p.blob(),
    secretIv: p.blob(),
    secretTag: p.blob(),
    /** Safe to display, e.g. `sk-...abcd`. */
    secretHint: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    /** When the API key was last replaced; null = never since creation. */
    rotatedAt: p.datetime().nullable(),
  },
});

export type ProviderCredentialRecord = InferEntity<typeof ProviderCredentialEntity>;
