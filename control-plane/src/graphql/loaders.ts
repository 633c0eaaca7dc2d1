// Building blocks of per-request DataLoaders; each module defines its own loaders with these (modules/*/…-loaders.ts)
// and the request context builds them all from modules/index.ts. Nested lists (an org's teams, a team's members…)
// load one page for every parent of a level in one query (a window function), whatever the number of parents; a
// later page (with a cursor) is read directly. Single rows by id are batched the same way.
import DataLoader from 'dataloader';
import type { Em } from '../db/orm.ts';
import type { ConnectionShape, PageArgs } from './connection.ts';
import { type ListSource, pagesPerParent } from './sql-list.ts';

/** Rows grouped per id, in the order of `ids` (an empty group for an id without rows). */
export function groupBy<T>(ids: readonly string[], rows: T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return ids.map((id) => groups.get(id) ?? []);
}

/** One nested-list request: the parent, and the list arguments every parent of a level usually shares. */
export interface PageKey<F> {
  parentId: string;
  filter: F | null;
  page: PageArgs;
}

const argsKey = (k: PageKey<unknown>) => JSON.stringify([k.filter ?? null, k.page ?? null]);

/**
 * A loader of nested pages: requests are grouped by their arguments, and each group is one `fetch` for all its
 * parents. A failure (say, a bad cursor) fails the requests of its group only.
 */
export function pageLoader<F, N>(
  fetch: (parentIds: readonly string[], filter: F | null, page: PageArgs) => Promise<Map<string, ConnectionShape<N>>>,
) {
  return new DataLoader<PageKey<F>, ConnectionShape<N>, string>(
    async (keys) => {
      const groups = new Map<string, { filter: F | null; page: PageArgs; ids: string[] }>();
      for (const k of keys) {
        const group = groups.get(argsKey(k));
        if (group) group.ids.push(k.parentId);
        else groups.set(argsKey(k), { filter: k.filter, page: k.page, ids: [k.parentId] });
      }
      const results = new Map<string, ConnectionShape<N> | Error>();
      for (const [args, group] of groups) {
        try {
          const pages = await fetch(group.ids, group.filter, group.page);
          for (const id of group.ids) results.set(`${args}|${id}`, pages.get(id) as ConnectionShape<N>);
        } catch (error) {
          for (const id of group.ids) results.set(`${args}|${id}`, error as Error);
        }
      }
      return keys.map((k) => results.get(`${argsKey(k)}|${k.parentId}`) as ConnectionShape<N> | Error);
    },
    { cacheKeyFn: (k) => `${argsKey(k)}|${k.parentId}` },
  );
}

/** Rows by id, null for unknown (or soft-deleted) ids. */
export function byId<R extends { id: string }>(load: (ids: string[]) => Promise<R[]>) {
  return new DataLoader<string, R | null>(async (ids) => {
    const rows = new Map((await load([...ids])).map((r) => [r.id, r]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

/** A loader of one page per parent of a SQL list: `from` joined as needed, `parent` the column naming the parent. */
export function nestedPages<F, N>(
  em: Em,
  from: string,
  columns: Omit<ListSource, 'from' | 'where'>,
  conditions: (filter: F | null) => ListSource['where'],
  parent: string,
  toNode: (row: object) => N,
) {
  return pageLoader<F, N>((ids, filter, page) =>
    pagesPerParent(em, { from, ...columns, where: conditions(filter) }, parent, ids, page, toNode),
  );
}
