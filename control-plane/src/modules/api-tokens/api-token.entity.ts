// ORM mapping of integrator API tokens: stored as the SHA-256 of the token plus a display prefix, never the token.
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { Role } from '../../access/roles.ts';

export const ApiTokenEntity = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    name: p.text(),
    prefix: p.text(),
    tokenHash: p.text().unique(),
    role: p.text().$type<Role>(),
    /** null = platform scope (PLATFORM_ADMIN); else the one org the token may act on. */
    orgId: p.uuid().nullable(),
    /** The audit label of whoever created it. */
    createdBy: p.text(),
    /**
     * The admin whose standing the token rests on (its creator, or the holder of the token that minted it); null
     * when made with ADMIN_TOKEN. While that admin is disabled the token is refused; it never acts above the
     * admin's current role; deleting the admin revokes it.
     */
    holderAdminId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export type ApiTokenRecord = InferEntity<typeof ApiTokenEntity>;
