// The list engine every connection uses: a list is a SQL source (from, columns, filter conditions) and a keyset
// order; one statement reads a page and the total. A top-level list and a nested list's later pages read directly;
// the first page of a nested list is read for many parents at once (a window-function query). Page requests and
// cursors are validated in page-window.ts.
import type { Em } from '../db/orm.ts';
import type { ConnectionShape, PageArgs } from './connection.ts';
import { connectionOf, type KeyType, type PageWindow, pageWindow } from './page-window.ts';

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
  if (!parts.length) return sql('true');
  return { text: parts.map((p) => `(${p.text})`).join(separator), params: parts.flatMap((p) => p.params) };
}

/** One column of a keyset order: an SQL expression of the source and the type its cursor value is bound as. */
export interface OrderKey {
  expr: string;
  type: KeyType;
}

/** What a list reads. `keys` together must be unique (the last is usually the id); all sort one way. */
export interface ListSource {
  /** FROM clause with any joins, e.g. `teams t`; a `?` in it takes `fromParams`. */
  from: string;
  fromParams?: readonly unknown[];
  /** Common table expressions the source reads, without the `with` (e.g. an aggregate read once). */
  with?: Sql;
  /** Columns to select, e.g. `t.*`; they are mapped to nodes by the caller. */
  columns: string;
  where: readonly Sql[];
  keys: readonly OrderKey[];
  /** Default ascending. */
  descending?: boolean;
}

/** The usual order: creation time, then id (both ascending). */
export const byCreation = (createdAt: string, id: string): OrderKey[] => [
  { expr: createdAt, type: 'timestamptz' },
  { expr: id, type: 'uuid' },
];

/** Internal columns every page query adds: the keyset values as PostgreSQL text (what cursors hold). */
type Keyed = Record<`__k${number}`, string>;

const keyColumns = (src: ListSource) => src.keys.map((k, i) => `(${k.expr})::text as __k${i}`).join(', ');
const cursorOf = (src: ListSource) => (row: Keyed) => src.keys.map((_, i) => row[`__k${i}`]);
const keyTypes = (src: ListSource) => src.keys.map((k) => k.type);

/** `order by` of a page: the list's direction, reversed for a backward page. */
function orderBy(src: ListSource, window: PageWindow): string {
  const dir = (src.descending ?? false) !== window.backward ? 'desc' : 'asc';
  return src.keys.map((k) => `${k.expr} ${dir}`).join(', ');
}

/** The keyset bounds of a window as conditions: rows strictly after `after` and before `before` in list order. */
function bounds(src: ListSource, window: PageWindow): Sql[] {
  const tuple = `(${src.keys.map((k) => k.expr).join(', ')})`;
  const bound = `(${src.keys.map((k) => `?::${k.type}`).join(', ')})`;
  const [later, earlier] = src.descending ? ['<', '>'] : ['>', '<'];
  const out: Sql[] = [];
  if (window.after) out.push(sql(`${tuple} ${later} ${bound}`, ...window.after));
  if (window.before) out.push(sql(`${tuple} ${earlier} ${bound}`, ...window.before));
  return out;
}

const withClause = (src: ListSource) => (src.with ? sql(`with ${src.with.text} `, ...src.with.params) : sql(''));

/** One page of a list, with its total, in one statement. */
export async function listPage<R, N>(
  em: Em,
  src: ListSource,
  args: PageArgs,
  toNode: (row: R) => N,
): Promise<ConnectionShape<N>> {
  const window = pageWindow(args, keyTypes(src));
  const from = src.fromParams ?? [];
  const where = joined(src.where, ' and ');
  const page = joined([...src.where, ...bounds(src, window)], ' and ');
  const head = withClause(src);
  // The count is the outer side of the join, so an empty page still answers the total; __rn keeps the page order.
  const rows = await em.execute<(R & Keyed & { __rn: number | null; __total: number })[]>(
    `${head.text}select p.*, c.__total
       from (select count(*)::int as __total from ${src.from} where ${where.text}) c
       left join lateral (
         select ${src.columns}, ${keyColumns(src)}, row_number() over (order by ${orderBy(src, window)}) as __rn
           from ${src.from} where ${page.text}
          order by ${orderBy(src, window)} limit ?
       ) p on true
      order by p.__rn`,
    [...head.params, ...from, ...where.params, ...from, ...page.params, window.limit + 1],
  );
  const total = rows[0]?.__total ?? 0;
  const found = rows.filter((r) => r.__rn !== null);
  return connectionOf(found, window, total, cursorOf(src), toNode);
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
  const window = pageWindow(args, keyTypes(src));
  const out = new Map<string, ConnectionShape<N>>();
  if (window.after !== undefined || window.before !== undefined) {
    for (const id of parentIds) {
      out.set(id, await listPage(em, { ...src, where: [sql(`${parent} = ?`, id), ...src.where] }, args, toNode));
    }
    return out;
  }
  const set = uuidSet(parentIds);
  const where = joined([sql(`${parent} in ${set.text}`, ...set.params), ...src.where], ' and ');
  const head = withClause(src);
  const rows = await em.execute<(R & Keyed & { __parent: string; __total: number })[]>(
    `${head.text}select * from (
       select ${src.columns}, ${keyColumns(src)}, ${parent}::text as __parent,
              row_number() over (partition by ${parent} order by ${orderBy(src, window)}) as __rn,
              (count(*) over (partition by ${parent}))::int as __total
         from ${src.from} where ${where.text}
     ) page where __rn <= ? order by __parent, __rn`,
    [...head.params, ...(src.fromParams ?? []), ...where.params, window.limit + 1],
  );
  const groups = new Map<string, (R & Keyed & { __total: number })[]>();
  for (const row of rows) {
    const group = groups.get(row.__parent);
    if (group) group.push(row);
    else groups.set(row.__parent, [row]);
  }
  for (const id of parentIds) {
    const group = groups.get(id) ?? [];
    out.set(id, connectionOf(group, window, group[0]?.__total ?? 0, cursorOf(src), toNode));
  }
  return out;
}
