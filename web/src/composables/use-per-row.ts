// Values fetched one id at a time for the rows on screen, where the API offers them per item only (an admin's last
// sign-in, an org's effective billing settings): each id once, in parallel, with a refresh after a change.
import { type MaybeRefOrGetter, shallowReactive, toValue, watch } from 'vue';

export type RowValue<V> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; value: V };

export function usePerRow<V>(ids: MaybeRefOrGetter<readonly string[]>, load: (id: string) => Promise<V>) {
  const values = shallowReactive(new Map<string, RowValue<V>>());
  // The latest request of each id: an older answer arriving late must not overwrite a newer one.
  const latest = new Map<string, number>();
  let counter = 0;

  async function fetchOne(id: string): Promise<void> {
    const own = ++counter;
    latest.set(id, own);
    if (!values.has(id)) values.set(id, { state: 'loading' });
    try {
      const value = await load(id);
      if (latest.get(id) === own) values.set(id, { state: 'ready', value });
    } catch (e) {
      if (latest.get(id) === own)
        values.set(id, { state: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  watch(
    () => [...toValue(ids)],
    (list) => {
      for (const id of new Set(list)) if (!values.has(id)) void fetchOne(id);
    },
    { immediate: true },
  );

  return {
    /** Loading until the first answer; a refresh keeps showing the previous value meanwhile. */
    get: (id: string): RowValue<V> => values.get(id) ?? { state: 'loading' },
    /** Fetches one id again, or every id on screen. */
    refresh: async (id?: string): Promise<void> => {
      const list = id ? [id] : [...new Set(toValue(ids))];
      await Promise.all(list.map(fetchOne));
    },
  };
}
