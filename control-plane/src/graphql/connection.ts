// Relay-style cursor pagination for every list: PageInfo, first/after/last/before arguments, and a Connection
// type per node. Pages are keyset queries (MikroORM's findByCursor), so a deep page costs what the first does.
import { Cursor, type EntityName, type FilterQuery } from '@mikro-orm/core';
import { ArgsType, type ClassType, Field, Int, ObjectType } from 'type-graphql';
import type { Em } from '../db/orm.ts';
import { badInput } from '../errors.ts';

export const defaultPageSize = 50;
export const maxPageSize = 100;

@ObjectType('PageInfo')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Page size from the start (1-${maxPageSize}, default ${defaultPageSize}).`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Items after this cursor (an endCursor).' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Page size from the end (1-${maxPageSize}); with before.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Items before this cursor (a startCursor).' })
  before?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function connectionType<T extends object>(node: ClassType<T>, name: string): ClassType<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: Edge<T>[];

    @Field(() => [node], { description: 'The nodes of `edges`, for clients that do not need cursors.' })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Items matching the filter, on every page.' })
    totalCount!: number;
  }
  return ConnectionType;
}

export interface PageWindow {
  first?: number;
  last?: number;
  after?: string;
  before?: string;
}

function size(field: string, value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > maxPageSize) {
    throw badInput(field, `${field} must be an integer from 1 to ${maxPageSize}`);
  }
  return value;
}

function cursorArg(field: string, value: string | null | undefined, keys: number): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  let decoded: unknown;
  try {
    decoded = Cursor.decode(value);
  } catch {
    decoded = null;
  }
  if (!Array.isArray(decoded) || decoded.length !== keys)
    throw badInput(field, `${field} is not a cursor of this list`);
  return value;
}

/** Validated window: `first`/`after` forward or `last`/`before` backward, never both directions. */
export function pageWindow(args: PageArgs, keys: number): PageWindow {
  const first = size('first', args.first);
  const last = size('last', args.last);
  if (first !== undefined && last !== undefined) throw badInput('last', 'Use first or last, not both');
  const after = cursorArg('after', args.after, keys);
  const before = cursorArg('before', args.before, keys);
  if (last !== undefined || before !== undefined) return { last: last ?? defaultPageSize, before, after };
  return { first: first ?? defaultPageSize, after, before };
}

/** One page of an entity list, newest-stable ordering given by `orderBy` (it must end in a unique column). */
export async function paginate<E extends object, N>(
  em: Em,
  entity: EntityName<E>,
  where: FilterQuery<E>,
  args: PageArgs,
  orderBy: Record<string, 'asc' | 'desc'>,
  toNode: (row: E) => N,
): Promise<ConnectionShape<N>> {
  const window = pageWindow(args, Object.keys(orderBy).length);
  // biome-ignore lint/suspicious/noExplicitAny: the options object is MikroORM's, typed per entity there.
  const cursor = await em.findByCursor(entity, { where, orderBy, ...window } as any);
  const rows = cursor.items as E[];
  const edges = rows.map((row) => ({ cursor: cursor.from(row), node: toNode(row) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: Object.assign(new PageInfo(), {
      hasNextPage: cursor.hasNextPage,
      hasPreviousPage: cursor.hasPrevPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    }),
    totalCount: cursor.totalCount as number,
  };
}

/** The same shape for lists read with raw SQL: `rows` holds up to `limit + 1` rows in the requested order. */
export function sqlConnection<R, N>(
  rows: R[],
  window: PageWindow,
  totalCount: number,
  cursorOf: (row: R) => unknown[],
  toNode: (row: R) => N,
): ConnectionShape<N> {
  const limit = window.first ?? window.last ?? defaultPageSize;
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (window.last !== undefined) page.reverse();
  const edges = page.map((row) => ({ cursor: Cursor.encode(cursorOf(row)), node: toNode(row) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: Object.assign(new PageInfo(), {
      hasNextPage: window.last !== undefined ? window.before !== undefined : more,
      hasPreviousPage: window.last !== undefined ? more : window.after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    }),
    totalCount,
  };
}

export const decodeCursor = (value: string): unknown[] => Cursor.decode(value) as unknown[];
