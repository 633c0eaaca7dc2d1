// The pure half of the list engine: page requests, cursors and the connection of a page, as tables.
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import type { PageArgs } from './connection.ts';
import {
  connectionOf,
  decodeCursor,
  emptyPage,
  encodeCursor,
  type KeyType,
  pageOfArray,
  pageWindow,
} from './page-window.ts';

const uuid = '0b6f3c4e-8a2d-4f1e-9c3b-2d5e6f7a8b9c';
const at = '2026-12-07 14:21:12.123456+00';
const byCreation: KeyType[] = ['timestamptz', 'uuid'];

function refusal(run: () => unknown): { code: unknown; field: unknown; message: string } | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.extensions.code, field: error.extensions.field, message: error.message };
  }
}

describe('pageWindow', () => {
  it.each<[string, PageArgs, { limit: number; backward: boolean }]>([
    ['nothing: the first 50', {}, { limit: 50, backward: false }],
    ['first', { first: 7 }, { limit: 7, backward: false }],
    ['first at the maximum', { first: 100 }, { limit: 100, backward: false }],
    ['last', { last: 3 }, { limit: 3, backward: true }],
    ['before alone: the 50 before it', { before: encodeCursor([at, uuid]) }, { limit: 50, backward: true }],
    ['empty cursors count as none', { first: 2, after: '', before: '' }, { limit: 2, backward: false }],
    ['nulls count as none', { first: null, last: null, after: null }, { limit: 50, backward: false }],
  ])('%s', (_, args, expected) => {
    expect(pageWindow(args, byCreation)).toMatchObject(expected);
  });

  it.each<[string, PageArgs, string]>([
    ['first 0', { first: 0 }, 'first'],
    ['first above 100', { first: 101 }, 'first'],
    ['first not an integer', { first: 1.5 }, 'first'],
    ['last negative', { last: -1 }, 'last'],
    ['first and last', { first: 1, last: 1 }, 'last'],
    ['after not base64 JSON', { after: 'bm90IGEgY3Vyc29y' }, 'after'],
    ['after of another list (one key)', { after: encodeCursor([uuid]) }, 'after'],
    ['after with a bad timestamp', { after: encodeCursor(['yesterday', uuid]) }, 'after'],
    ['after with a bad uuid', { after: encodeCursor([at, 'x']) }, 'after'],
    ['before not an array', { before: encodeCursor({ a: 1 } as never) }, 'before'],
  ])('refuses %s with BAD_USER_INPUT on the argument', (_, args, field) => {
    expect(refusal(() => pageWindow(args, byCreation))).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});

describe('decodeCursor', () => {
  it.each<[KeyType, unknown, boolean]>([
    ['timestamptz', at, true],
    ['timestamptz', '2026-12-07T14:00:00.000Z', true],
    ['timestamptz', '2026-13-45 99:00:00+00', false],
    ['timestamptz', 12, false],
    ['uuid', uuid, true],
    ['uuid', 'not-a-uuid', false],
    ['bigint', '9007199254740993', true],
    ['bigint', '1e3', false],
    ['bigint', 10, false],
    ['text', '', true],
    ['text', 'node-a', true],
    ['text', null, false],
  ])('a %s key holding %j is accepted: %s', (type, value, ok) => {
    const read = () => decodeCursor('after', encodeCursor([value]), [type]);
    if (ok) expect(read()).toEqual([value]);
    else expect(refusal(read)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('connectionOf', () => {
  const rows = [1, 2, 3, 4];
  const page = (args: PageArgs, read: number[], total = 10) =>
    connectionOf(
      read,
      pageWindow(args, ['bigint']),
      total,
      (n) => [String(n)],
      (n) => n,
    );
  const cursor = (n: number) => encodeCursor([String(n)]);

  it.each<[string, PageArgs, number[], number[], boolean, boolean]>([
    ['forward with more', { first: 3 }, rows, [1, 2, 3], true, false],
    ['forward, last page', { first: 3, after: cursor(0) }, [1, 2], [1, 2], false, true],
    ['backward with more (rows read in reverse)', { last: 3 }, [4, 3, 2, 1], [2, 3, 4], false, true],
    ['backward from a cursor, first page', { last: 3, before: cursor(5) }, [4, 3], [3, 4], true, false],
    ['empty', { first: 3 }, [], [], false, false],
  ])('%s', (_, args, read, nodes, hasNextPage, hasPreviousPage) => {
    const c = page(args, read);
    expect(c.nodes).toEqual(nodes);
    expect(c.edges.map((e) => e.cursor)).toEqual(nodes.map(cursor));
    expect(c.pageInfo).toMatchObject({
      hasNextPage,
      hasPreviousPage,
      startCursor: nodes.length ? cursor(nodes[0]) : null,
      endCursor: nodes.length ? cursor(nodes.at(-1) as number) : null,
    });
    expect(c.totalCount).toBe(10);
  });
});

describe('pageOfArray', () => {
  const names = ['delta', 'Alpha', 'charlie', 'bravo', 'echo'];
  const order = {
    keys: ['text'] as KeyType[],
    keyOf: (n: string) => [n.toLowerCase()],
    compare: (a: readonly unknown[], b: readonly unknown[]) => String(a[0]).localeCompare(String(b[0])),
  };
  const walk = (args: PageArgs) => pageOfArray(names, args, order, (n) => n);

  it('walks forward and back over the same order, with the total on every page', () => {
    const one = walk({ first: 2 });
    expect(one.nodes).toEqual(['Alpha', 'bravo']);
    const two = walk({ first: 2, after: one.pageInfo.endCursor });
    expect(two.nodes).toEqual(['charlie', 'delta']);
    const three = walk({ first: 2, after: two.pageInfo.endCursor });
    expect(three).toMatchObject({ nodes: ['echo'], pageInfo: { hasNextPage: false }, totalCount: 5 });
    const back = walk({ last: 2, before: three.pageInfo.startCursor });
    expect(back).toMatchObject({ nodes: ['charlie', 'delta'], pageInfo: { hasPreviousPage: true } });
  });

  it('refuses a cursor of another shape', () => {
    expect(refusal(() => walk({ after: encodeCursor([1]) }))).toMatchObject({ field: 'after' });
  });
});

describe('emptyPage', () => {
  it('answers an empty connection but still checks the request', () => {
    expect(emptyPage({ first: 5 }, ['text'])).toMatchObject({ nodes: [], totalCount: 0 });
    expect(refusal(() => emptyPage({ first: 500 }, ['text']))).toMatchObject({ field: 'first' });
  });
});
