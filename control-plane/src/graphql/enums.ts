// GraphQL enums; their internal values are the lowercase strings stored in the database and used in snapshots.
import { registerEnumType } from 'type-graphql';
import { type Role, roles } from '../access/roles.ts';

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

/** Admin roles as GraphQL shows them (PLATFORM_ADMIN, …): derived from the one list in access/roles.ts. */
export const AdminRole = Object.fromEntries(roles.map((r) => [r.toUpperCase(), r])) as {
  readonly [R in Role as Uppercase<R>]: R;
};
export type AdminRole = Role;

registerEnumType(EntityStatus, { name: 'EntityStatus' });
registerEnumType(ProviderKindEnum, { name: 'ProviderKind' });
registerEnumType(KeyStatus, { name: 'KeyStatus' });
registerEnumType(AdminRole, { name: 'AdminRole' });
