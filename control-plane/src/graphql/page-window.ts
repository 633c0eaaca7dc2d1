// The pure half of the list engine: validates a page request (first/after or last/before), reads and writes
// cursors (base64url JSON of the keyset values, checked against the list's key types), and builds the connection of
// a page from rows read one past the page size. sql-list.ts runs the queries; lists held in memory use pageOfArray.
import { badInput } from '../errors.ts';
import { type ConnectionShape, defaultPageSize, maxPageSize, type PageArgs, PageInfo } from './connection.ts';
import { isUuid } from './validate.ts';

/** How a keyset value travels in a cursor and is bound back into SQL. */
export type KeyType = 'timestamptz' | 'uuid' | 'bigint' | 'text';

/** A validated page request: a size and direction, and the decoded keyset bounds. */
export interface PageWindow {
  /** Rows to return (1..maxPageSize). */
  limit: number;
  /** true for last/before: the rows just before `before` (or the last rows), returned in list order. */
  backward: boolean;
  after?: unknown[];
  before?: unknown[];
}

const timestampText = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

const validValue: Record<KeyType, (v: unknown) => boolean> = {
  timestamptz: (v) => typeof v === 'string' && timestampText.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => typeof v === 'string' && isUuid(v),
  bigint: (v) => typeof v === 'string' && /^-?\d{1,19}$/.test(v),
  text: (v) => typeof v === 'string',
};

export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The keyset values of a cursor of a list with these key types; BAD_USER_INPUT on `field` for anything else. */
export function decodeCursor(field: string, cursor: string, keys: readonly KeyType[]): unknown[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (!Array.isArray(decoded) || decoded.length !== keys.length || !keys.every((k, i) => validValue[k](decoded[i]))) {
    throw badInput(field, `${field} is not a cursor of this list`);
  }
  return decoded;
}

function size(field: string, value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > maxPageSize) {
    throw badInput(field, `${field} must be an integer from 1 to ${maxPageSize}`);
  }
  return value;
}

const cursorArg = (field: string, value: string | null | undefined, keys: readonly KeyType[]) =>
  value === null || value === undefined || value === '' ? undefined : decodeCursor(field, value, keys);

/** Validated window: `first`/`after` forward or `last`/`before` backward (either may carry both cursors). */
export function pageWindow(args: PageArgs, keys: readonly KeyType[]): PageWindow {
  const first = size('first', args.first);
  const last = size('last', args.last);
  if (first !== undefined && last !== undefined) throw badInput('last', 'Use first or last, not both');
  const after = cursorArg('after', args.after, keys);
  const before = cursorArg('before', args.before, keys);
  const backward = last !== undefined || before !== undefined;
  return { limit: (backward ? last : first) ?? defaultPageSize, backward, after, before };
}

/**
 * The connection of a page. `rows` are up to `limit + 1` rows read in the direction of the window (so reversed
 * for a backward page); the extra row only tells that there is more.
 */
export function connectionOf<R, N>(
  rows: readonly R[],
  window: PageWindow,
  totalCount: number,
  cursorOf: (row: R) => readonly unknown[],
  toNode: (row: R) => N,
): ConnectionShape<N> {
  const more = rows.length > window.limit;
  const page = rows.slice(0, window.limit);
  if (window.backward) page.reverse();
  const edges = page.map((row) => ({ cursor: encodeCursor(cursorOf(row)), node: toNode(row) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: Object.assign(new PageInfo(), {
      hasNextPage: window.backward ? window.before !== undefined : more,
      hasPreviousPage: window.backward ? more : window.after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    }),
    totalCount,
  };
}

/** A keyset order over rows held in memory: the key of a row (what its cursor holds) and how two keys compare. */
export interface ArrayOrder<R> {
  keys: readonly KeyType[];
  keyOf: (row: R) => unknown[];
  compare: (a: readonly unknown[], b: readonly unknown[]) => number;
}

/** A page of a list already read whole (e.g. a few hundred aggregated rows); `all` need not be sorted. */
export function pageOfArray<R, N>(
  all: readonly R[],
  args: PageArgs,
  order: ArrayOrder<R>,
  toNode: (row: R) => N,
): ConnectionShape<N> {
  const window = pageWindow(args, order.keys);
  const { after, before } = window;
  const sorted = all
    .map((row) => ({ row, key: order.keyOf(row) }))
    .sort((a, b) => order.compare(a.key, b.key))
    .filter(({ key }) => (!after || order.compare(key, after) > 0) && (!before || order.compare(key, before) < 0));
  if (window.backward) sorted.reverse();
  return connectionOf(
    sorted.slice(0, window.limit + 1),
    window,
    all.length,
    (r) => r.key,
    (r) => toNode(r.row),
  );
}

/** The page of a list known to be empty (the request is still validated, so a bad cursor is still refused). */
export function emptyPage<N>(args: PageArgs, keys: readonly KeyType[]): ConnectionShape<N> {
  return connectionOf<never, N>(
    [],
    pageWindow(args, keys),
    0,
    () => [],
    () => undefined as never,
  );
}
