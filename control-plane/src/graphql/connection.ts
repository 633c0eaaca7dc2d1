// Relay-style cursor pagination for every list, as GraphQL types: PageInfo, first/after/last/before arguments, and a
// Connection type per node. Pages are keyset queries (sql-list.ts), so a deep page costs what the first does.
import { ArgsType, type ClassType, Field, Int, ObjectType } from 'type-graphql';

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
