// The ordered list of migrations, compiled in: the build has no migration files to discover at run time.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20251124000000_init } from './Migration20251124000000_init.ts';
import { Migration20261201000000_access } from './Migration20261201000000_access.ts';
import { Migration20261201000001_usage_module } from './Migration20261201000001_usage_module.ts';
import { Migration20261201000200_usage_rollups } from './Migration20261201000200_usage_rollups.ts';
import { Migration20261201000201_billing_settings } from './Migration20261201000201_billing_settings.ts';
import { Migration20261201000300_model_deployments } from './Migration20261201000300_model_deployments.ts';
import { Migration20261202000000_tenancy } from './Migration20261202000000_tenancy.ts';
import { Migration20261203000000_api_token_holders } from './Migration20261203000000_api_token_holders.ts';
import { Migration20261207000000_node_usage } from './Migration20261207000000_node_usage.ts';
import { Migration20261207000001_usage_incomplete } from './Migration20261207000001_usage_incomplete.ts';
import { Migration20261208000000_config_changes } from './Migration20261208000000_config_changes.ts';
import { Migration20261208000100_node_sync_state } from './Migration20261208000100_node_sync_state.ts';
import { Migration20261208000200_config_commit_once } from './Migration20261208000200_config_commit_once.ts';
import { Migration20261215000000_usage_partitions } from './Migration20261215000000_usage_partitions.ts';
import { Migration20261220000000_limits } from './Migration20261220000000_limits.ts';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20251124000000_init', class: Migration20251124000000_init },
  { name: 'Migration20261201000000_access', class: Migration20261201000000_access },
  { name: 'Migration20261201000001_usage_module', class: Migration20261201000001_usage_module },
  { name: 'Migration20261201000200_usage_rollups', class: Migration20261201000200_usage_rollups },
  { name: 'Migration20261201000201_billing_settings', class: Migration20261201000201_billing_settings },
  { name: 'Migration20261201000300_model_deployments', class: Migration20261201000300_model_deployments },
  { name: 'Migration20261202000000_tenancy', class: Migration20261202000000_tenancy },
  { name: 'Migration20261203000000_api_token_holders', class: Migration20261203000000_api_token_holders },
  { name: 'Migration20261207000000_node_usage', class: Migration20261207000000_node_usage },
  { name: 'Migration20261207000001_usage_incomplete', class: Migration20261207000001_usage_incomplete },
  { name: 'Migration20261208000000_config_changes', class: Migration20261208000000_config_changes },
  { name: 'Migration20261208000100_node_sync_state', class: Migration20261208000100_node_sync_state },
  { name: 'Migration20261208000200_config_commit_once', class: Migration20261208000200_config_commit_once },
  { name: 'Migration20261215000000_usage_partitions', class: Migration20261215000000_usage_partitions },
  { name: 'Migration20261220000000_limits', class: Migration20261220000000_limits },
];
