// MikroORM setup for PostgreSQL: explicit entity list, compiled-in migrations, and the start-up migration run.

import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AdminSessionEntity, AdminUserEntity } from '../modules/admin-auth/admin-user.entity.ts';
import { ApiTokenEntity } from '../modules/api-tokens/api-token.entity.ts';
import { ModelEntity } from '../modules/models/model.entity.ts';
import { ModelDeploymentEntity } from '../modules/models/model-deployment.entity.ts';
import { OrganizationEntity } from '../modules/organizations/organization.entity.ts';
import { OrgModuleEntity, ProductModuleEntity } from '../modules/product-modules/product-module.entity.ts';
import { ProviderCredentialEntity } from '../modules/provider-credentials/provider-credential.entity.ts';
import { TeamEntity } from '../modules/teams/team.entity.ts';
import { UserEntity, UserTeamEntity } from '../modules/users/user.entity.ts';
import { VirtualKeyEntity } from '../modules/virtual-keys/virtual-key.entity.ts';
import { migrationsList } from './migrations/index.ts';

export const entities = [
  OrganizationEntity,
  TeamEntity,
  UserEntity,
  UserTeamEntity,
  VirtualKeyEntity,
  ProductModuleEntity,
  OrgModuleEntity,
  ProviderCredentialEntity,
  ModelEntity,
  ModelDeploymentEntity,
  AdminUserEntity,
  AdminSessionEntity,
  ApiTokenEntity,
];

export type Orm = MikroORM;
export type Em = EntityManager;

export async function createOrm(databaseUrl: string, logger: Logger): Promise<Orm> {
  const orm = await MikroORM.init(
    defineConfig({
      clientUrl: databaseUrl,
      entities,
      extensions: [Migrator],
      migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
      pool: { min: 0, max: 10 },
      // Forking per request is explicit (context.ts); the global EM must never be used for queries.
      allowGlobalContext: false,
      debug: false,
      logger: (message) => logger.debug({ orm: message }, 'orm'),
    }),
  );
  return orm;
}

/** Applies pending migrations; the schema is never synchronised from entities. */
export async function migrate(orm: Orm, logger: Logger): Promise<void> {
  const applied = await orm.migrator.up();
  if (applied.length) logger.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
}
