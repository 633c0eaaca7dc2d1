// Every domain module, in one list: db/orm.ts takes their entities, schema.ts their resolvers, and the request
// context their loaders from here, so infrastructure never imports a module's internals. A new module is added
// here once (modules.test.ts fails when an entity or resolver under modules/ is not collected).
// First: the resolvers and GraphQL types below need the metadata polyfill while their decorators run, and
// db/orm.ts reaches them through this file before schema.ts is ever imported.
import 'reflect-metadata';
import type { Em } from '../db/orm.ts';
import { adminAuthModule } from './admin-auth/index.ts';
import { adminUsersModule } from './admin-users/index.ts';
import { apiTokensModule } from './api-tokens/index.ts';
import { auditModule } from './audit/index.ts';
import { billingModule } from './billing/index.ts';
import { limitsModule } from './limits/index.ts';
import { modelsModule } from './models/index.ts';
import { nodesModule } from './nodes/index.ts';
import { organizationsModule } from './organizations/index.ts';
import { productModulesModule } from './product-modules/index.ts';
import { providerCredentialsModule } from './provider-credentials/index.ts';
import { teamsModule } from './teams/index.ts';
import { usageModule } from './usage/index.ts';
import { usersModule } from './users/index.ts';
import { virtualKeysModule } from './virtual-keys/index.ts';

export const modules = [
  adminAuthModule,
  adminUsersModule,
  apiTokensModule,
  auditModule,
  organizationsModule,
  teamsModule,
  usersModule,
  virtualKeysModule,
  productModulesModule,
  providerCredentialsModule,
  modelsModule,
  usageModule,
  billingModule,
  limitsModule,
  nodesModule,
] as const;

/** Every module's MikroORM entities. */
export const entities = modules.flatMap((m) => m.entities);

/** Every module's type-graphql resolvers. */
export const resolvers = modules.flatMap((m) => m.resolvers);

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The loaders of one request: every module's, by name (ctx.loaders.teamsOfOrg…), each typed by its module. */
export type Loaders = Intersection<ReturnType<(typeof modules)[number]['loaders']>>;

/** Per-request DataLoaders, built fresh for every request so nothing is cached across callers. */
export function createLoaders(em: Em): Loaders {
  return Object.assign({}, ...modules.map((m) => m.loaders(em)));
}
