// GraphQL enums; their internal values are the lowercase strings stored in the database and used in snapshots.
import { registerEnumType } from 'type-graphql';

export enum EntityStatus {
  ACTIVE = 'active',
  SUSPENDED = 'suspended',
}

export enum ProviderKindEnum {
  OPENAI = 'openai',
}

export enum KeyStatus {
  ACTIVE = 'active',
  REVOKED = 'revoked',
  EXPIRED = 'expired',
}

/** Admin roles: the whole platform, one org's admin, or one org read-only (see access/guards.ts). */
export enum AdminRole {
  PLATFORM_ADMIN = 'platform_admin',
  ORG_ADMIN = 'org_admin',
  ORG_VIEWER = 'org_viewer',
}

registerEnumType(EntityStatus, { name: 'EntityStatus' });
registerEnumType(ProviderKindEnum, { name: 'ProviderKind' });
registerEnumType(KeyStatus, { name: 'KeyStatus' });
registerEnumType(AdminRole, { name: 'AdminRole' });
