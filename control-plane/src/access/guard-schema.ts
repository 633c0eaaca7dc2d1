// Puts the operation table in front of the resolvers of a built schema: every field with an entry in
// access/operations.ts checks it before its resolver (or, for a subscription, its subscribe) runs. A schema with
// a query, mutation or subscription the table does not list, or a table entry the schema does not have, is refused.
import { type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import type { Context } from '../context.ts';
import { authorize } from './authorize.ts';
import { operations } from './operations.ts';

type Resolver = GraphQLFieldResolver<unknown, Context, Record<string, unknown>>;

function guarded(coordinate: string, inner: Resolver): Resolver {
  return (root, args, ctx, info) => {
    const verdict = authorize(ctx, coordinate, args, root);
    if (verdict === 'run') return inner(root, args, ctx, info);
    if (verdict === 'null') return null;
    return verdict.then((v) => (v === 'run' ? inner(root, args, ctx, info) : null));
  };
}

/** The fields of the root types that have no entry in the table, and the entries without a field. */
export function tableGaps(schema: GraphQLSchema): { unlisted: string[]; unknown: string[] } {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  const unlisted: string[] = [];
  for (const root of roots) {
    for (const name of Object.keys(root?.getFields() ?? {})) {
      if (!operations[`${root?.name}.${name}`]) unlisted.push(`${root?.name}.${name}`);
    }
  }
  const unknown = Object.keys(operations).filter((coordinate) => {
    const [typeName, field] = coordinate.split('.');
    const type = schema.getType(typeName);
    return !isObjectType(type) || !type.getFields()[field];
  });
  return { unlisted, unknown };
}

/** Wraps the resolvers of `schema` in place; throws when the table and the schema disagree. */
export function guardSchema(schema: GraphQLSchema): GraphQLSchema {
  const { unlisted, unknown } = tableGaps(schema);
  if (unlisted.length || unknown.length) {
    throw new Error(
      `access/operations.ts does not match the schema: unlisted ${unlisted.join(', ') || '-'}; ` +
        `unknown ${unknown.join(', ') || '-'}`,
    );
  }
  const subscriptionType = schema.getSubscriptionType();
  for (const coordinate of Object.keys(operations)) {
    const [typeName, fieldName] = coordinate.split('.');
    const type = schema.getType(typeName);
    if (!isObjectType(type)) continue;
    const field: GraphQLField<unknown, Context> = type.getFields()[fieldName];
    if (type === subscriptionType) {
      const subscribe = field.subscribe;
      if (!subscribe) throw new Error(`${coordinate} has no subscribe function`);
      // The subscribe function may itself be async; a refusal thrown here reaches the client as one error result.
      field.subscribe = guarded(coordinate, subscribe as Resolver);
    } else {
      const resolve = field.resolve;
      if (!resolve) throw new Error(`${coordinate} has no resolver to guard`);
      field.resolve = guarded(coordinate, resolve as Resolver);
    }
  }
  return schema;
}
