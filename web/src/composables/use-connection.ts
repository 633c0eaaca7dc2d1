// One page of a Relay connection at a time: next/previous by cursor, page size, total count, and a filter that
// starts again from the first page when it changes. Every list of the UI is one of these. What it says about the
// page (its number, its first row) is read from the answer shown, so it changes with the rows, never before them.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { computed, type MaybeRefOrGetter, type Ref, ref, toValue, watch } from 'vue';
import type { ApiError } from '../graphql/errors';
import { useQuery } from './use-query';

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface ConnectionPage<N> {
  nodes: N[];
  totalCount: number;
  pageInfo: PageInfo;
}

export interface PageVariables {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export const pageSizes = [10, 25, 50, 100];

type Cursor = { after?: string; before?: string };

/** One page of a list and its controls, as ConnectionTable shows them (useConnection returns one). */
export interface PagedList<N> {
  nodes: Readonly<Ref<N[]>>;
  loading: Readonly<Ref<boolean>>;
  error: Readonly<Ref<ApiError | undefined>>;
  totalCount: Readonly<Ref<number>>;
  /** The number of the page whose rows are shown (1-based). */
  pageNumber: Readonly<Ref<number>>;
  /** The position of the first row shown in the whole list (1-based). */
  firstRow: Readonly<Ref<number>>;
  pageSize: Ref<number>;
  hasNext: Readonly<Ref<boolean>>;
  hasPrevious: Readonly<Ref<boolean>>;
  next(): void;
  previous(): void;
  refetch(): Promise<void>;
}

/**
 * `variables` are the list's own (filter, org id…); `select` picks the connection out of the answer (it may be
 * nested, e.g. `organization.teams`). Changing the variables or the page size goes back to the first page.
 */
export function useConnection<TData, TVariables extends PageVariables, N>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: MaybeRefOrGetter<Omit<TVariables, keyof PageVariables>>,
  select: (data: TData) => ConnectionPage<N> | null | undefined,
  options: { pageSize?: number; enabled?: MaybeRefOrGetter<boolean> } = {},
) {
  const pageSize = ref(options.pageSize ?? 25);
  const cursor = ref<Cursor>({});

  watch([() => JSON.stringify(toValue(variables)), pageSize], () => {
    cursor.value = {};
  });

  const variablesAt = (at: Cursor) =>
    ({
      ...toValue(variables),
      ...(at.before ? { last: pageSize.value, before: at.before } : { first: pageSize.value, after: at.after ?? null }),
    }) as TVariables;
  // The number of each page asked for, by the variables that ask for it (a cursor means another position under
  // another filter); the first page of any filter is 1.
  const numbers = new Map<string, number>();

  const query = useQuery(document, () => variablesAt(cursor.value), { enabled: options.enabled });

  const page = computed(() => (query.data.value ? select(query.data.value) : undefined));
  const nodes = computed(() => page.value?.nodes ?? []);
  const totalCount = computed(() => page.value?.totalCount ?? 0);
  /** Number and size of the page shown, from the variables its answer was asked with. */
  const shown = computed(() => {
    const asked = query.dataVariables.value;
    if (!asked) return { number: 1, size: pageSize.value };
    return { number: numbers.get(JSON.stringify(asked)) ?? 1, size: asked.first ?? asked.last ?? pageSize.value };
  });
  const pageNumber = computed(() => shown.value.number);
  const pageCount = computed(() => Math.max(1, Math.ceil(totalCount.value / shown.value.size)));

  function go(at: Cursor, number: number): void {
    numbers.set(JSON.stringify(variablesAt(at)), number);
    cursor.value = at;
  }

  function next(): void {
    const info = page.value?.pageInfo;
    if (!info?.hasNextPage || !info.endCursor) return;
    go({ after: info.endCursor }, pageNumber.value + 1);
  }

  function previous(): void {
    const info = page.value?.pageInfo;
    if (!info?.hasPreviousPage || !info.startCursor || pageNumber.value <= 1) return;
    go(pageNumber.value === 2 ? {} : { before: info.startCursor }, pageNumber.value - 1);
  }

  return {
    ...query,
    /** The whole answer, for pages that read more than the list from one query. */
    result: query.data,
    page,
    nodes,
    totalCount,
    pageSize,
    pageNumber,
    firstRow: computed(() => (shown.value.number - 1) * shown.value.size + 1),
    pageCount,
    hasNext: computed(() => page.value?.pageInfo.hasNextPage ?? false),
    hasPrevious: computed(() => pageNumber.value > 1),
    next,
    previous,
  };
}
