// Keyset-paginated lists read with SQL: one filter compilation serves a top-level list, the first page of a nested
// list for many parents at once (a window-function query), and a nested list's later pages (a direct query).
import type { Em } from '../db/orm.ts';
import { badInput } from '../errors.ts';
import {
  type ConnectionShape,
  decodeCursor,
  defaultPageSize,
  type PageArgs,
  type PageWindow,
  pageWindow,
  sqlConnection,
} from './connection.ts';
import { isUuid } from './validate.ts';

/** A SQL fragment with `?` placeholders and their values, in order. */
export interface Sql {
  readonly text: string;
  readonly params: readonly unknown[];
}

export function sql(text: string, ...params: unknown[]): Sql {
  return { text, params };
}

/**
 * A set of uuids as one JSON parameter: the raw-query layer would expand a JS array into separate parameters.
 * Use as `col in ${uuidSet(...)}`.
 */
export function uuidSet(ids: readonly string[]): Sql {
  return sql('(select jsonb_array_elements_text(?::jsonb)::uuid)', JSON.stringify(ids));
}

/** `%term%` for ILIKE, with the pattern characters of the term escaped (so "50%" matches literally). */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function joined(parts: readonly Sql[], separator: string): Sql {
  return { text: parts.map((p) => `(${p.text})`).join(separator), params: parts.flatMap((p) => p.params) };
}

/** What a list reads. Rows are ordered by (createdAt, id), both ascending; together they are unique. */
export interface ListSource {
  /** FROM clause with any joins, e.g. `teams t`. */
  from: string;
  /** Columns to select, e.g. `t.*`; they are mapped to nodes by the caller. */
  columns: string;
  /** The creation-time column, e.g. `t.created_at`. */
  createdAt: string;
  /** The id column, e.g. `t.id`. */
  id: string;
  where: readonly Sql[];
}

/** Internal columns every list query adds; the cursor is (creation time as PostgreSQL text, id). */
interface ListRow {
  __at: string;
  __id: string;
}

const timestampText = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

function cursorValues(field: string, cursor: string | undefined): [string, string] | undefined {
  if (cursor === undefined) return undefined;
  const [at, id] = decodeCursor(cursor);
  if (typeof at !== 'string' || !timestampText.test(at) || typeof id !== 'string' || !isUuid(id)) {
    throw badInput(field, `${field} is not a cursor of this list`);
  }
  return [at, id];
}

/** Validated window of a list; throws BAD_USER_INPUT for bad sizes or cursors. */
export function listWindow(args: PageArgs): PageWindow {
  const window = pageWindow(args, 2);
  cursorValues('after', window.after);
  cursorValues('before', window.before);
  return window;
}

const limitOf = (w: PageWindow) => w.first ?? w.last ?? defaultPageSize;
const backward = (w: PageWindow) => w.last !== undefined;

/** One page of a list, with its total. Two queries: the count and the page. */
export async function listPage<R, N>(
  em: Em,
  src: ListSource,
  args: PageArgs,
  toNode: (row: R) => N,
): Promise<ConnectionShape<N>> {
  const window = listWindow(args);
  const where = src.where.length ? joined(src.where, ' and ') : sql('true');
  const [{ n }] = await em.execute<{ n: number }[]>(`select count(*)::int as n from ${src.from} where ${where.text}`, [
    ...where.params,
  ]);
  const page: Sql[] = [...src.where];
  const after = cursorValues('after', window.after);
  const before = cursorValues('before', window.before);
  if (after) page.push(sql(`(${src.createdAt}, ${src.id}) > (?::timestamptz, ?::uuid)`, ...after));
  if (before) page.push(sql(`(${src.createdAt}, ${src.id}) < (?::timestamptz, ?::uuid)`, ...before));
  const pageWhere = page.length ? joined(page, ' and ') : sql('true');
  const dir = backward(window) ? 'desc' : 'asc';
  const rows = await em.execute<(R & ListRow)[]>(
    `select ${src.columns}, ${src.createdAt}::text as __at, ${src.id}::text as __id
       from ${src.from} where ${pageWhere.text}
      order by ${src.createdAt} ${dir}, ${src.id} ${dir} limit ?`,
    [...pageWhere.params, limitOf(window) + 1],
  );
  return sqlConnection(rows, window, n, (r) => [r.__at, r.__id], toNode);
}

/**
 * The same page of a nested list for many parents. Without a cursor: one window-function query for all of them
 * (the first or last N rows per parent, with each parent's total). With a cursor (a later page, asked for one
 * parent at a time in practice): one direct query per parent.
 */
export async function pagesPerParent<R, N>(
  em: Em,
  src: ListSource,
  /** The column naming the parent, e.g. `t.org_id`. */
  parent: string,
  parentIds: readonly string[],
  args: PageArgs,
  toNode: (row: R) => N,
): Promise<Map<string, ConnectionShape<N>>> {
  const window = listWindow(args);
  const out = new Map<string, ConnectionShape<N>>();
  if (window.after !== undefined || window.before !== undefined) {
    for (const id of parentIds) {
      out.set(id, await listPage(em, { ...src, where: [sql(`${parent} = ?`, id), ...src.where] }, args, toNode));
    }
    return out;
  }
  const set = uuidSet(parentIds);
  const where = joined([sql(`${parent} in ${set.text}`, ...set.params), ...src.where], ' and ');
  const dir = backward(window) ? 'desc' : 'asc';
  const rows = await em.execute<(R & ListRow & { __parent: string; __total: number })[]>(
    `select * from (
       select ${src.columns}, ${src.createdAt}::text as __at, ${src.id}::text as __id, ${parent}::text as __parent,
              row_number() over (partition by ${parent} order by ${src.createdAt} ${dir}, ${src.id} ${dir}) as __rn,
              (count(*) over (partition by ${parent}))::int as __total
         from ${src.from} where ${where.text}
     ) page where __rn <= ? order by __parent, __rn`,
    [...where.params, limitOf(window) + 1],
  );
  const groups = new Map<string, (R & ListRow & { __total: number })[]>();
  for (const row of rows) {
    const group = groups.get(row.__parent);
    if (group) group.push(row);
    else groups.set(row.__parent, [row]);
  }
  for (const id of parentIds) {
    const group = groups.get(id) ?? [];
    out.set(
      id,
      sqlConnection(group, window, group[0]?.__total ?? 0, (r) => [r.__at, r.__id], toNode),
    );
  }
  return out;
}
