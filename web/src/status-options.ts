// Filter choices for the ACTIVE / SUSPENDED status of organizations, modules, teams and users.
import type { EntityStatus } from './graphql/generated/graphql';

export const statusOptions: { label: string; value: EntityStatus }[] = [
  { label: 'Active', value: 'ACTIVE' },
  { label: 'Suspended', value: 'SUSPENDED' },
];
