// A persistent read-only map: a shared base plus a small overlay of changes. `with()` returns a new map in
// O(overlay + changes) and leaves this one untouched, so a store built from a delta shares almost everything with
// the one before it while requests holding the older store keep their view. Once the overlay grows past a fraction
// of the base, `with()` folds it into a fresh base (one O(n) copy, amortised over many changes).

/** Marks a key removed in an overlay (or in the changes passed to `with`). */
export const gone: unique symbol = Symbol('gone');
export type Change<V> = V | typeof gone;

/** Entries copied or written by `with()` since start: lets tests check that a change costs O(change). */
export const layeredMapStats = { written: 0, folded: 0 };

const emptyOverlay: ReadonlyMap<unknown, never> = new Map<unknown, never>();

export class LayeredMap<K, V> implements ReadonlyMap<K, V> {
  readonly #base: ReadonlyMap<K, V>;
  readonly #top: ReadonlyMap<K, Change<V>>;
  readonly size: number;

  private constructor(base: ReadonlyMap<K, V>, top: ReadonlyMap<K, Change<V>>, size: number) {
    this.#base = base;
    this.#top = top;
    this.size = size;
  }

  /** Takes ownership of `map`: the caller must not change it afterwards. */
  static of<K, V>(map: Map<K, V> = new Map()): LayeredMap<K, V> {
    return new LayeredMap<K, V>(map, emptyOverlay as ReadonlyMap<K, Change<V>>, map.size);
  }

  get(key: K): V | undefined {
    const v = this.#top.get(key);
    if (v !== undefined) return v === gone ? undefined : v;
    return this.#base.get(key);
  }

  has(key: K): boolean {
    const v = this.#top.get(key);
    if (v !== undefined) return v !== gone;
    return this.#base.has(key);
  }

  /** This map with `changes` applied (a value sets the key, `gone` deletes it). */
  with(changes: ReadonlyMap<K, Change<V>>): LayeredMap<K, V> {
    if (changes.size === 0) return this;
    let size = this.size;
    for (const [k, v] of changes) {
      const had = this.has(k);
      if (v === gone) size -= had ? 1 : 0;
      else size += had ? 0 : 1;
    }
    if (this.#top.size + changes.size > Math.max(256, this.#base.size >> 4)) {
      // Fold: one fresh base, an empty overlay.
      const base = new Map(this.#base);
      for (const layer of [this.#top, changes]) {
        for (const [k, v] of layer) {
          if (v === gone) base.delete(k);
          else base.set(k, v);
        }
      }
      layeredMapStats.folded++;
      layeredMapStats.written += this.#base.size + this.#top.size + changes.size;
      return new LayeredMap<K, V>(base, emptyOverlay as ReadonlyMap<K, Change<V>>, size);
    }
    const top = new Map(this.#top);
    for (const [k, v] of changes) {
      // A removal of a key the base does not hold needs no tombstone.
      if (v === gone && !this.#base.has(k)) top.delete(k);
      else top.set(k, v);
    }
    layeredMapStats.written += this.#top.size + changes.size;
    return new LayeredMap(this.#base, top, size);
  }

  *entries(): MapIterator<[K, V]> {
    for (const [k, v] of this.#top) if (v !== gone) yield [k, v];
    for (const [k, v] of this.#base) if (!this.#top.has(k)) yield [k, v];
  }

  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }
}
