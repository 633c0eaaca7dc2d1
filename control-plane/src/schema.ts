// Builds the executable GraphQL schema from the type-graphql resolvers (no database needed, so emit-schema can use it).
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { guardSchema } from './access/guard-schema.ts';
import { DateTimeScalar } from './graphql/scalars.ts';
import { AdminAuthResolver } from './modules/admin-auth/admin-auth.resolver.ts';
import { AdminUserResolver } from './modules/admin-users/admin-user.resolver.ts';
import { ApiTokenResolver } from './modules/api-tokens/api-token.resolver.ts';
import { AuditResolver } from './modules/audit/audit.resolver.ts';
import { BillingResolver } from './modules/billing/billing.resolver.ts';
import { ModelDeploymentResolver, ModelResolver } from './modules/models/model.resolver.ts';
import { OrganizationModelAccessResolver, OrgModelAccessResolver } from './modules/models/org-model-access.resolver.ts';
import { NodeResolver } from './modules/nodes/node.resolver.ts';
import { OrganizationResolver } from './modules/organizations/organization.resolver.ts';
import { OrgModuleResolver, ProductModuleResolver } from './modules/product-modules/product-module.resolver.ts';
import { ProviderCredentialResolver } from './modules/provider-credentials/provider-credential.resolver.ts';
import { TeamResolver } from './modules/teams/team.resolver.ts';
import { UsageResolver } from './modules/usage/usage.resolver.ts';
import { UserResolver } from './modules/users/user.resolver.ts';
import { VirtualKeyResolver } from './modules/virtual-keys/virtual-key.resolver.ts';
import { ConfigSyncResolver } from './sync/config-sync.resolver.ts';

/**
 * type-graphql insists on a PubSub once any subscription exists, even when every subscription brings its own
 * `subscribe` function (ours do: the publisher owns fan-out). This one fails loudly if anything ever uses it.
 */
const noPubSub: PubSub = {
  publish() {
    throw new Error('type-graphql PubSub is not used: subscriptions provide their own subscribe()');
  },
  subscribe() {
    throw new Error('type-graphql PubSub is not used: subscriptions provide their own subscribe()');
  },
};

let built: Promise<GraphQLSchema> | undefined;

/**
 * Built once per process: type-graphql metadata is global, and every app instance can share the schema. Every
 * resolver runs behind the operation table (access/operations.ts).
 */
export function gatewaySchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [
      AdminAuthResolver,
      AdminUserResolver,
      ApiTokenResolver,
      AuditResolver,
      OrganizationResolver,
      TeamResolver,
      UserResolver,
      VirtualKeyResolver,
      ProductModuleResolver,
      OrgModuleResolver,
      ProviderCredentialResolver,
      ModelResolver,
      ModelDeploymentResolver,
      OrganizationModelAccessResolver,
      OrgModelAccessResolver,
      UsageResolver,
      BillingResolver,
      NodeResolver,
      ConfigSyncResolver,
    ],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    pubSub: noPubSub,
  }).then(guardSchema);
  return built;
}
