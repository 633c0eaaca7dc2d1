// One async read of a dashboard part (totals, series, top-N): the latest run wins, a "silent" run (a live
// re-read) keeps what is shown instead of a loading state, and a failed silent run keeps the last good answer.
import { onScopeDispose, ref, shallowRef } from 'vue';
import { type ApiError, toApiError } from '../../graphql/errors';

export function useLoader<T>(load: (signal: AbortSignal) => Promise<T>) {
  const data = shallowRef<T>();
  const error = shallowRef<ApiError>();
  const loading = ref(false);
  let controller: AbortController | undefined;

  async function run(options: { silent?: boolean } = {}): Promise<void> {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    if (!options.silent) loading.value = true;
    try {
      const result = await load(own.signal);
      if (own.signal.aborted) return;
      data.value = result;
      error.value = undefined;
    } catch (e) {
      if (own.signal.aborted) return;
      // A live re-read that fails leaves the figures as they were; the next one tries again.
      if (!options.silent || data.value === undefined) error.value = toApiError(e);
    } finally {
      if (controller === own) loading.value = false;
    }
  }

  function clear(): void {
    controller?.abort();
    data.value = undefined;
    error.value = undefined;
    loading.value = false;
  }

  onScopeDispose(() => controller?.abort());
  return { data, error, loading, run, clear };
}
