// ORM mapping of admin users and their sessions (sessions are stored as SHA-256 of the bearer token).
import { randomUUID } from 'node:crypto';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

import type { Role } from '../../access/roles.ts';

export const AdminUserEntity = defineEntity({
  name: 'AdminUser',
  tableName: 'admin_users',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    email: p.text(),
    /** scrypt, see crypto/password.ts. */
    passwordHash: p.text(),
    role: p.text().$type<Role>().default('platform_admin'),
    /** null for platform admins; the org of an org admin or viewer. */
    orgId: p.uuid().nullable(),
    name: p.text().nullable(),
    /** A disabled admin cannot log in, and their sessions are gone. */
    disabledAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export type AdminUserRecord = InferEntity<typeof AdminUserEntity>;

export const AdminSessionEntity = defineEntity({
  name: 'AdminSession',
  tableName: 'admin_sessions',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    adminId: p.uuid(),
    tokenHash: p.text().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
  },
});

export type AdminSessionRecord = InferEntity<typeof AdminSessionEntity>;
