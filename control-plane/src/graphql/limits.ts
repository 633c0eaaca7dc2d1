// Query depth, cost and alias limits, checked before anything runs: a request that could fan out into a huge
// number of rows or a huge answer is refused with a stable code instead of being executed.
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
} from 'graphql';
import { defaultPageSize, maxPageSize } from './connection.ts';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  /** Aliased fields an operation may select, counted as often as the fragments holding them are spread. */
  maxAliases: number;
}

/** Size arguments that bound a list field: connections (`first`/`last`) and top-N lists (`limit`). */
const sizeArgs = ['first', 'last', 'limit'];

function isList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner);
}

function isConnection(type: GraphQLOutputType): boolean {
  return getNamedType(type).name.endsWith('Connection');
}

interface Walk {
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  limits: QueryLimits;
  /** Fields priced so far. Each adds at least 1 to the cost, so past maxCost the walk can stop: it is refused. */
  fields: number;
  aliases: number;
}

function sizeAsked(field: FieldNode, walk: Walk): number | undefined {
  for (const arg of field.arguments ?? []) {
    if (!sizeArgs.includes(arg.name.value)) continue;
    const node = arg.value;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const v = walk.variables[node.name.value];
      if (typeof v === 'number') return v;
    }
  }
  return undefined;
}

/**
 * Cost of one selection set: every field costs 1; a list or connection multiplies what is selected below it by the
 * page size it asks for (`first`/`last`/`limit`, else the default page size), so nesting is priced as it fans out.
 * As in execution, a fragment spread twice into one selection set is collected once (`spread`), so a chain of
 * fragments each spreading the next twice costs its size, not two to the power of its length.
 */
function selectionCost(
  set: SelectionSetNode | undefined,
  parent: GraphQLObjectType,
  walk: Walk,
  depth: number,
  spread: Set<string> = new Set(),
): { cost: number; depth: number } {
  if (!set) return { cost: 0, depth };
  let cost = 0;
  let deepest = depth;
  for (const sel of set.selections) {
    if (walk.fields > walk.limits.maxCost) break;
    if (sel.kind === Kind.FRAGMENT_SPREAD || sel.kind === Kind.INLINE_FRAGMENT) {
      let inner = sel.kind === Kind.INLINE_FRAGMENT ? sel.selectionSet : undefined;
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        if (spread.has(sel.name.value)) continue;
        spread.add(sel.name.value);
        inner = walk.fragments[sel.name.value]?.selectionSet;
      }
      const r = selectionCost(inner, parent, walk, depth, spread);
      cost += r.cost;
      deepest = Math.max(deepest, r.depth);
      continue;
    }
    const field = sel as FieldNode;
    if (field.alias) walk.aliases++;
    if (field.name.value.startsWith('__')) continue;
    const def: GraphQLField<unknown, unknown> | undefined = parent.getFields()[field.name.value];
    if (!def) continue;
    walk.fields++;
    const named = getNamedType(def.type);
    const child = isObjectType(named) || isInterfaceType(named) ? (named as GraphQLObjectType) : undefined;
    const below = child ? selectionCost(field.selectionSet, child, walk, depth + 1) : { cost: 0, depth: depth + 1 };
    let multiplier = 1;
    if (isList(def.type) || isConnection(def.type)) {
      const declared = def.args.some((a) => sizeArgs.includes(a.name));
      multiplier = sizeAsked(field, walk) ?? (declared || isConnection(def.type) ? defaultPageSize : 1);
      multiplier = Math.min(Math.max(multiplier, 1), maxPageSize);
    }
    cost += 1 + multiplier * below.cost;
    deepest = Math.max(deepest, below.depth);
  }
  return { cost, depth: deepest };
}

/**
 * Checks the operation a request runs against the limits; returns the error to answer with, or null. Run once
 * the operation is known and with the request's coerced variables, so `first: $n` is priced at the real `n`.
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
  const walk: Walk = { fragments, variables, limits, fields: 0, aliases: 0 };
  const { cost, depth } = selectionCost(operation.selectionSet, root, walk, 0);
  if (depth > limits.maxDepth) {
    return new GraphQLError(`Query is ${depth} levels deep; at most ${limits.maxDepth} are allowed`, {
      extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth: limits.maxDepth },
    });
  }
  if (walk.aliases > limits.maxAliases) {
    return new GraphQLError(`Query selects ${walk.aliases} aliased fields; at most ${limits.maxAliases} are allowed`, {
      extensions: { code: 'QUERY_TOO_MANY_ALIASES', aliases: walk.aliases, maxAliases: limits.maxAliases },
    });
  }
  // A walk stopped early (more fields than maxCost) has priced only part of the query: its cost is a lower bound.
  const truncated = walk.fields > limits.maxCost;
  if (cost > limits.maxCost || truncated) {
    return new GraphQLError(
      `Query costs ${truncated ? 'at least ' : ''}${cost}; at most ${limits.maxCost} are allowed (ask for smaller pages or fewer nested lists)`,
      { extensions: { code: 'QUERY_TOO_COSTLY', cost, maxCost: limits.maxCost } },
    );
  }
  return null;
}
