// Runs a typed mutation with a pending flag; the caller decides what an error means (a form field, a toast).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { ref } from 'vue';
import { request } from '../graphql/client';
import { type ApiError, toApiError } from '../graphql/errors';

export type MutationResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export function useMutation<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>) {
  const pending = ref(false);

  async function run(variables: TVariables): Promise<MutationResult<TData>> {
    pending.value = true;
    try {
      return { ok: true, data: await request(document, variables) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    } finally {
      pending.value = false;
    }
  }

  return { run, pending };
}
