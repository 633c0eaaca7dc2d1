// The ordered list of migrations, compiled in: the build has no migration files to discover at run time.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20251124000000_init } from './Migration20251124000000_init.ts';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20251124000000_init', class: Migration20251124000000_init },
];
