// The list engine against PostgreSQL: keyset pages in both directions and both orders, totals with filters, an
// empty page, shared CTEs, and nested pages for many parents — each page equal to the slice of the whole list.
import 'reflect-metadata';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeOrm, createOrm, type Orm } from '../db/orm.ts';
import { createTestDatabase, type TestDatabase } from '../test-support/test-db.ts';
import type { PageArgs } from './connection.ts';
import { byCreation, type ListSource, listPage, pagesPerParent, sql } from './sql-list.ts';

let db: TestDatabase;
let orm: Orm;
const parents = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];

beforeAll(async () => {
  db = await createTestDatabase();
  orm = await createOrm(db.url, pino({ level: 'silent' }));
  await db.query(`create table items (id uuid primary key, parent uuid not null, n int not null, name text not null,
                                      created_at timestamptz not null)`);
  // 25 items, 12 of parent a and 13 of b; created_at ties in pairs, so the id must break them.
  await db.query(
    `insert into items select ('00000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
            (case when n % 2 = 0 then $1 else $2 end)::uuid, n, 'item ' || lpad(n::text, 2, '0'),
            timestamptz '2026-01-01' + (n / 2) * interval '1 second'
       from generate_series(1, 25) n`,
    parents,
  );
});
afterAll(async () => {
  await closeOrm(orm);
  await db.drop();
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const em = () => orm.em.fork();
const node = (row: { n: number }) => Number(row.n);

type Shape = [name: string, src: () => ListSource, all: number[]];
const shapes: Shape[] = [
  [
    'by creation (timestamptz, uuid)',
    () => ({ from: 'items i', columns: 'i.n', where: [], keys: byCreation('i.created_at', 'i.id') }),
    range(1, 25),
  ],
  [
    'by n descending (bigint)',
    () => ({
      from: 'items i',
      columns: 'i.n',
      where: [],
      keys: [{ expr: 'i.n::bigint', type: 'bigint' }],
      descending: true,
    }),
    range(1, 25).reverse(),
  ],
  [
    'by name (text), filtered',
    () => ({ from: 'items i', columns: 'i.n', where: [sql('i.n > ?', 5)], keys: [{ expr: 'i.name', type: 'text' }] }),
    range(6, 25),
  ],
  [
    'over a CTE',
    () => ({
      with: sql('odd as (select * from items where n % 2 = ?)', 1),
      from: 'odd',
      columns: 'odd.n',
      where: [],
      keys: [{ expr: 'odd.n::bigint', type: 'bigint' }],
    }),
    range(1, 25).filter((n) => n % 2 === 1),
  ],
];

describe('listPage', () => {
  it.each(shapes)('walks %s forward and backward page by page', async (_, src, all) => {
    const forward: number[] = [];
    let args: PageArgs = { first: 4 };
    for (;;) {
      const page = await listPage(em(), src(), args, node);
      expect(page.totalCount).toBe(all.length);
      forward.push(...page.nodes);
      expect(page.pageInfo.hasPreviousPage).toBe(args.after !== undefined);
      if (!page.pageInfo.hasNextPage) break;
      args = { first: 4, after: page.pageInfo.endCursor };
    }
    expect(forward).toEqual(all);

    const backward: number[] = [];
    args = { last: 3 };
    for (;;) {
      const page = await listPage(em(), src(), args, node);
      backward.unshift(...page.nodes);
      if (!page.pageInfo.hasPreviousPage) break;
      args = { last: 3, before: page.pageInfo.startCursor };
    }
    expect(backward).toEqual(all);
  });

  it('answers the total with an empty page past the end', async () => {
    const src = shapes[0][1]();
    const last = await listPage(em(), src, { last: 1 }, node);
    const past = await listPage(em(), src, { first: 5, after: last.pageInfo.endCursor }, node);
    expect(past).toMatchObject({
      nodes: [],
      totalCount: 25,
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
  });

  it('answers zero for a filter nothing matches', async () => {
    const src = { ...shapes[0][1](), where: [sql('false')] };
    expect(await listPage(em(), src, {}, node)).toMatchObject({ nodes: [], totalCount: 0 });
  });

  it('reads between two cursors', async () => {
    const src = shapes[0][1]();
    const all = await listPage(em(), src, { first: 25 }, node);
    const [from, to] = [all.edges[4].cursor, all.edges[9].cursor];
    const between = await listPage(em(), src, { first: 10, after: from, before: to }, node);
    expect(between.nodes).toEqual(range(6, 9));
  });
});

describe('pagesPerParent', () => {
  const src = (): ListSource => ({
    from: 'items i',
    columns: 'i.n',
    where: [],
    keys: byCreation('i.created_at', 'i.id'),
  });
  const even = range(1, 25).filter((n) => n % 2 === 0);
  const odd = range(1, 25).filter((n) => n % 2 === 1);

  it.each<[string, PageArgs, number[], number[]]>([
    ['the first page of each', { first: 3 }, even.slice(0, 3), odd.slice(0, 3)],
    ['the last page of each', { last: 2 }, even.slice(-2), odd.slice(-2)],
  ])('reads %s in one query, with each total', async (_, args, a, b) => {
    const none = '00000000-0000-4000-8000-0000000000ff';
    const pages = await pagesPerParent(em(), src(), 'i.parent', [...parents, none], args, node);
    expect(pages.get(parents[0])).toMatchObject({ nodes: a, totalCount: even.length });
    expect(pages.get(parents[1])).toMatchObject({ nodes: b, totalCount: odd.length });
    expect(pages.get(none)).toMatchObject({ nodes: [], totalCount: 0 });
  });

  it('reads a later page of one parent with its cursor', async () => {
    const first = (await pagesPerParent(em(), src(), 'i.parent', parents, { first: 5 }, node)).get(parents[1]);
    const next = await pagesPerParent(
      em(),
      src(),
      'i.parent',
      [parents[1]],
      { first: 5, after: first?.pageInfo.endCursor },
      node,
    );
    expect(next.get(parents[1])?.nodes).toEqual(odd.slice(5, 10));
  });
});
