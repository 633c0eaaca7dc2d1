// TypeScript shapes of the GraphQL schema's object and input types that the admin UI uses.

/** ISO-8601 timestamp, as the `DateTime` scalar is serialised. */
export type DateTime = string;

/** A page of a list (the API's connections); the pages read the first page only, with `first: 100`. */
export interface Page<T> {
  nodes: T[];
}

export type EntityStatus = 'ACTIVE' | 'SUSPENDED';
export type KeyStatus = 'ACTIVE' | 'REVOKED' | 'EXPIRED';
export type AdminRole = 'PLATFORM_ADMIN';

export interface AdminUser {
  id: string;
  email: string;
  role: AdminRole;
  createdAt: DateTime;
}

export interface Organization {
  id: string;
  name: string;
  slug: string;
  status: EntityStatus;
  createdAt: DateTime;
}

export interface Team {
  id: string;
  orgId: string;
  name: string;
  status: EntityStatus;
  createdAt: DateTime;
}

export interface User {
  id: string;
  orgId: string;
  email: string;
  name: string | null;
  status: EntityStatus;
  teamIds: string[];
  createdAt: DateTime;
}

export interface VirtualKey {
  id: string;
  orgId: string;
  teamId: string | null;
  userId: string | null;
  name: string;
  prefix: string;
  /** null means every model is allowed. */
  allowedModels: string[] | null;
  expiresAt: DateTime | null;
  revokedAt: DateTime | null;
  lastUsedAt: DateTime | null;
  status: KeyStatus;
  createdAt: DateTime;
}

export interface Model {
  id: string;
  name: string;
}

export interface CreateOrganizationInput {
  name: string;
  slug?: string;
}

export interface CreateTeamInput {
  orgId: string;
  name: string;
}

export interface CreateUserInput {
  orgId: string;
  email: string;
  name?: string;
  teamIds?: string[];
}

export interface CreateVirtualKeyInput {
  orgId: string;
  teamId?: string;
  userId?: string;
  name: string;
  allowedModels?: string[];
  expiresAt?: DateTime;
}
