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

export enum AdminRole {
  PLATFORM_ADMIN = 'platform_admin',
}

registerEnumType(EntityStatus, { name: 'EntityStatus' });
registerEnumType(ProviderKindEnum, { name: 'ProviderKind' });
registerEnumType(KeyStatus, { name: 'KeyStatus' });
registerEnumType(AdminRole, { name: 'AdminRole' });
