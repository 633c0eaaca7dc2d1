// One page of a Relay connection at a time: next/previous by cursor, page size, total count, and a filter that
// starts again from the first page when it changes. Every list of the UI is one of these.
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

/** One page of a list and its controls, as ConnectionTable shows them (useConnection returns one). */
export interface PagedList<N> {
  nodes: Readonly<Ref<N[]>>;
  loading: Readonly<Ref<boolean>>;
  error: Readonly<Ref<ApiError | undefined>>;
  totalCount: Readonly<Ref<number>>;
  pageNumber: Readonly<Ref<number>>;
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
  const cursor = ref<{ after?: string; before?: string }>({});
  const pageNumber = ref(1);

  watch([() => JSON.stringify(toValue(variables)), pageSize], () => {
    cursor.value = {};
    pageNumber.value = 1;
  });

  const query = useQuery(
    document,
    () =>
      ({
        ...toValue(variables),
        ...(cursor.value.before
          ? { last: pageSize.value, before: cursor.value.before }
          : { first: pageSize.value, after: cursor.value.after ?? null }),
      }) as TVariables,
    { enabled: options.enabled },
  );

  const page = computed(() => (query.data.value ? select(query.data.value) : undefined));
  const nodes = computed(() => page.value?.nodes ?? []);
  const totalCount = computed(() => page.value?.totalCount ?? 0);
  const pageCount = computed(() => Math.max(1, Math.ceil(totalCount.value / pageSize.value)));

  function next(): void {
    const info = page.value?.pageInfo;
    if (!info?.hasNextPage || !info.endCursor) return;
    cursor.value = { after: info.endCursor };
    pageNumber.value += 1;
  }

  function previous(): void {
    const info = page.value?.pageInfo;
    if (!info?.hasPreviousPage || !info.startCursor || pageNumber.value <= 1) return;
    if (pageNumber.value === 2) cursor.value = {};
    else cursor.value = { before: info.startCursor };
    pageNumber.value -= 1;
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
    pageCount,
    hasNext: computed(() => page.value?.pageInfo.hasNextPage ?? false),
    hasPrevious: computed(() => pageNumber.value > 1),
    next,
    previous,
  };
}
