// Runs a typed GraphQL query, re-runs it when its variables change, and exposes data, error and loading.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type MaybeRefOrGetter, onScopeDispose, ref, shallowRef, toValue, watch } from 'vue';
import { request } from '../graphql/client';
import { type ApiError, toApiError } from '../graphql/errors';

export interface QueryOptions {
  /** While false the query waits (e.g. until a route parameter is known). */
  enabled?: MaybeRefOrGetter<boolean>;
}

export function useQuery<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: MaybeRefOrGetter<TVariables>,
  options: QueryOptions = {},
) {
  const data = shallowRef<TData>();
  /** The variables `data` answers: they change together with it, not when a newer request starts. */
  const dataVariables = shallowRef<TVariables>();
  const error = shallowRef<ApiError>();
  const loading = ref(true);
  let controller: AbortController | undefined;

  async function refetch(): Promise<void> {
    if (options.enabled !== undefined && !toValue(options.enabled)) return;
    controller?.abort(); // only the latest request may write the result
    const own = new AbortController();
    controller = own;
    loading.value = true;
    error.value = undefined;
    try {
      const asked = toValue(variables);
      const result = await request(document, asked, { signal: own.signal });
      if (!own.signal.aborted) {
        data.value = result;
        dataVariables.value = asked;
      }
    } catch (e) {
      if (!own.signal.aborted) error.value = toApiError(e);
    } finally {
      if (controller === own) loading.value = false;
    }
  }

  watch(
    () => [JSON.stringify(toValue(variables)), options.enabled === undefined ? true : toValue(options.enabled)],
    refetch,
    { immediate: true },
  );
  onScopeDispose(() => controller?.abort());

  return { data, dataVariables, error, loading, refetch };
}
