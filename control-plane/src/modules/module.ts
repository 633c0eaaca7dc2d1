// What a domain module contributes to the control plane: its entities (db/orm.ts), its resolvers (schema.ts) and
// its per-request loaders (context.ts). modules/index.ts collects every module; infrastructure reads only that list.
import type { EntitySchema } from '@mikro-orm/core';
import type { Em } from '../db/orm.ts';

/** A type-graphql resolver class (type-graphql constructs it without arguments). */
export type ResolverClass = new () => object;

export interface GatewayModule<L extends object> {
  /** The module's folder under modules/. */
  name: string;
  /** The tables it owns, as MikroORM entities. */
  entities: readonly EntitySchema[];
  /** Its resolvers, including those adding fields to another module's type (e.g. Organization.teams by teams). */
  resolvers: readonly ResolverClass[];
  /** Its DataLoaders for one request, reached as ctx.loaders.<name>; names are unique across modules. */
  loaders: (em: Em) => L;
}

/** A module's parts; what it does not own is left out. */
export function defineModule<L extends object = Record<never, never>>(parts: {
  name: string;
  entities?: readonly EntitySchema[];
  resolvers?: readonly ResolverClass[];
  loaders?: (em: Em) => L;
}): GatewayModule<L> {
  return {
    name: parts.name,
    entities: parts.entities ?? [],
    resolvers: parts.resolvers ?? [],
    loaders: parts.loaders ?? (() => ({}) as L),
  };
}
