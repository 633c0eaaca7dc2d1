// Builds the executable GraphQL schema from the modules' resolvers (modules/index.ts) and the config-sync subscription;
// no database needed, so emit-schema can use it.
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { guardSchema } from './access/guard-schema.ts';
import { DateTimeScalar } from './graphql/scalars.ts';
import { resolvers } from './modules/index.ts';
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
    resolvers: [ConfigSyncResolver, ...resolvers],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
    pubSub: noPubSub,
  }).then(guardSchema);
  return built;
}
