// Query depth and cost limits, checked at validation, before anything runs: a request that could fan out into
// a huge number of rows is refused with a stable code instead of being executed.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Context } from '../context.ts';
import { defaultPageSize, maxPageSize } from './connection.ts';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

/** Size arguments that bound a list field: connections (`first`/`last`) and top-N lists (`limit`). */
const sizeArgs = ['first', 'last', 'limit'];

function intValue(node: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' ? v : undefined;
  }
  return undefined;
}

function isList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner);
}

function isConnection(type: GraphQLOutputType): boolean {
  return getNamedType(type).name.endsWith('Connection');
}

/**
 * Cost of one selection: every field costs 1; a list or connection multiplies what is selected below it by the
 * page size it asks for (`first`/`last`/`limit`, else the default page size), so nesting is priced as it fans out.
 */
function selectionCost(
  set: SelectionSetNode | undefined,
  parent: GraphQLObjectType,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  depth: number,
  seen: Set<string>,
): { cost: number; depth: number } {
  if (!set) return { cost: 0, depth };
  let cost = 0;
  let deepest = depth;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const frag = fragments[sel.name.value];
      if (!frag || seen.has(frag.name.value)) continue;
      const r = selectionCost(
        frag.selectionSet,
        parent,
        fragments,
        variables,
        depth,
        new Set([...seen, frag.name.value]),
      );
      cost += r.cost;
      deepest = Math.max(deepest, r.depth);
      continue;
    }
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      const r = selectionCost(sel.selectionSet, parent, fragments, variables, depth, seen);
      cost += r.cost;
      deepest = Math.max(deepest, r.depth);
      continue;
    }
    const field = sel as FieldNode;
    if (field.name.value.startsWith('__')) continue;
    const def: GraphQLField<unknown, unknown> | undefined = parent.getFields()[field.name.value];
    if (!def) continue;
    const named = getNamedType(def.type);
    const child = isObjectType(named) || isInterfaceType(named) ? (named as GraphQLObjectType) : undefined;
    const below = child
      ? selectionCost(field.selectionSet, child, fragments, variables, depth + 1, seen)
      : { cost: 0, depth: depth + 1 };
    let multiplier = 1;
    if (isList(def.type) || isConnection(def.type)) {
      const asked = field.arguments
        ?.filter((a) => sizeArgs.includes(a.name.value))
        .map((a) => intValue(a.value, variables))
        .find((v) => v !== undefined);
      const declared = def.args.some((a) => sizeArgs.includes(a.name));
      multiplier = asked ?? (declared ? defaultPageSize : isConnection(def.type) ? defaultPageSize : 1);
      multiplier = Math.min(Math.max(multiplier, 1), maxPageSize);
    }
    cost += 1 + multiplier * below.cost;
    deepest = Math.max(deepest, below.depth);
  }
  return { cost, depth: deepest };
}

/**
 * Checks the operation a request runs against the limits; returns the error to answer with, or null. Run once
 * the operation is known and with the request's variables, so `first: $n` is priced at the real `n`.
 */
export function queryLimitsError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: QueryLimits,
): GraphQLError | null {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  }
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return null;
  const { cost, depth } = selectionCost(operation.selectionSet, root, fragments, variables, 0, new Set());
  if (depth > limits.maxDepth) {
    return new GraphQLError(`Query is ${depth} levels deep; at most ${limits.maxDepth} are allowed`, {
      extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth: limits.maxDepth },
    });
  }
  if (cost > limits.maxCost) {
    return new GraphQLError(
      `Query costs ${cost}; at most ${limits.maxCost} are allowed (ask for smaller pages or fewer nested lists)`,
      { extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost: limits.maxCost } },
    );
  }
  return null;
}

/** Apollo plugin: refuses over-limit operations before they execute (HTTP 400). */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const error = queryLimitsError(schema, document, operation, request.variables ?? {}, limits);
          if (error) {
            error.extensions.http = { status: 400 };
            throw error;
          }
        },
      };
    },
  };
}
