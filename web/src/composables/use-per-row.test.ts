// Per-row loading: one request per new id, refresh on demand, and a late answer never overwrites a newer one.
import { describe, expect, it } from 'vitest';
import { nextTick, ref } from 'vue';
import { usePerRow } from './use-per-row';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('usePerRow', () => {
  it('loads each id once, and new ids as they appear', async () => {
    const calls: string[] = [];
    const ids = ref(['a', 'b', 'a']);
    const rows = usePerRow(ids, async (id) => {
      calls.push(id);
      return id.toUpperCase();
    });
    expect(rows.get('a')).toEqual({ state: 'loading' });
    await flush();
    expect(rows.get('a')).toEqual({ state: 'ready', value: 'A' });
    ids.value = ['b', 'c'];
    await nextTick();
    await flush();
    expect(calls).toEqual(['a', 'b', 'c']);
    expect(rows.get('c')).toEqual({ state: 'ready', value: 'C' });
  });

  it('reports failures per row', async () => {
    const rows = usePerRow(['x'], async () => {
      throw new Error('no access');
    });
    await flush();
    expect(rows.get('x')).toEqual({ state: 'error', message: 'no access' });
  });

  it('keeps the newest answer when a refresh overtakes the first request', async () => {
    const first = deferred<number>();
    const second = deferred<number>();
    const answers = [first, second];
    let n = 0;
    const rows = usePerRow(['k'], () => (answers[n++] as ReturnType<typeof deferred<number>>).promise);
    const refreshed = rows.refresh('k');
    second.resolve(2);
    await refreshed;
    first.resolve(1);
    await flush();
    expect(rows.get('k')).toEqual({ state: 'ready', value: 2 });
  });
});
