// Runs a typed GraphQL mutation and tracks whether it is in flight; failures come back as values, not throws.
import { ref } from 'vue';
import { request } from '../graphql/client';
import { type ApiError, toApiError } from '../graphql/errors';
import type { Operation } from '../graphql/operation';

export type MutationResult<TData> = { ok: true; data: TData } | { ok: false; error: ApiError };

export function useMutation<TData, TVariables>(op: Operation<TData, TVariables>) {
  const pending = ref(false);

  async function mutate(variables: TVariables): Promise<MutationResult<TData>> {
    pending.value = true;
    try {
      return { ok: true, data: await request(op, variables) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    } finally {
      pending.value = false;
    }
  }

  return { mutate, pending };
}
