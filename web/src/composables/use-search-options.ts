// Options for a remote-search select (users, teams, modules, models of an org): the first matches of what the admin
// types, plus the options already chosen, so a chosen value keeps its label whatever the current search shows.
// Only the answer to the text in the box is listed: while it is on its way the menu says so (emptyText) instead of
// showing the previous text's matches, which would be wrong and would move under the pointer when it lands.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { SelectOption } from 'naive-ui';
import { computed, type MaybeRefOrGetter, onScopeDispose, ref, toValue, watch } from 'vue';
import { useQuery } from './use-query';

export interface SearchOption extends SelectOption {
  label: string;
  value: string;
}

/** How many matches a picker shows; typing narrows them. */
export const optionLimit = 20;

export function useSearchOptions<TData, TVariables, N>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: (search: string | null) => TVariables,
  select: (data: TData) => N[],
  toOption: (node: N) => SearchOption,
  options: { known?: MaybeRefOrGetter<SearchOption[] | undefined>; enabled?: MaybeRefOrGetter<boolean> } = {},
) {
  /** The text in the box, trimmed. */
  const typed = ref('');
  /** The text asked for. */
  const search = ref('');
  let timer: number | undefined;
  // Typing waits a moment before asking, so a burst of keystrokes is one request.
  function onSearch(text: string): void {
    typed.value = text.trim();
    window.clearTimeout(timer);
    timer = window.setTimeout(() => (search.value = typed.value), 200);
  }
  /** Naive emptied the box (the menu opened, or an option was added to a multiple select): the first matches. */
  function onCleared(): void {
    window.clearTimeout(timer);
    typed.value = '';
    search.value = '';
  }
  onScopeDispose(() => window.clearTimeout(timer));

  const query = useQuery(document, () => variables(search.value || null), { enabled: options.enabled });
  const searching = computed(
    () =>
      query.dataVariables.value === undefined ||
      JSON.stringify(query.dataVariables.value) !== JSON.stringify(variables(typed.value || null)),
  );
  const nodes = computed(() => (query.data.value ? select(query.data.value) : []));
  const answered = computed(() => nodes.value.map(toOption));
  const found = computed(() => (searching.value ? [] : answered.value));
  // Labels of every option seen so far; not reactive itself: `found` and `known` changing re-run the readers.
  const remembered = new Map<string, SearchOption>();
  watch(
    answered,
    (list) => {
      for (const o of list) remembered.set(o.value, o);
    },
    { immediate: true },
  );

  /** The matches, then the chosen values the current search does not show (with the label last seen for them). */
  function withSelected(selected: readonly string[]): SearchOption[] {
    const shown = found.value;
    const known = toValue(options.known) ?? [];
    const extra = selected
      .filter((v) => !shown.some((o) => o.value === v))
      .map((v) => remembered.get(v) ?? known.find((o) => o.value === v) ?? { label: v, value: v });
    return [...shown, ...extra];
  }

  function nodeOf(value: string): N | undefined {
    return nodes.value.find((n) => toOption(n).value === value);
  }

  /** What the menu says when it lists nothing. */
  const emptyText = computed(() => {
    if (query.error.value) return 'Could not load the options; type to try again.';
    return searching.value ? 'Searching…' : 'Nothing matches.';
  });

  return {
    onSearch,
    onCleared,
    loading: query.loading,
    error: query.error,
    searching,
    emptyText,
    withSelected,
    nodeOf,
    refetch: query.refetch,
  };
}
