// V8 grows its young generation while many of the objects it allocates survive, as they do while a store is built
// from a 100k-resource snapshot, up to 2 x 64 MB (Node 24, 64-bit), and keeps it afterwards: measured, that was
// +128 MB of resident memory for a 50 MB store. While a bulk build runs (a full snapshot being received, boot from
// disk) it may grow up to 16 MB (a part's objects still die young there), then no further (growth factor 1); the
// usual factor (2) is restored after.
// `--max-semi-space-size` would bound it for good, but V8 reads it only at startup, and the data plane is started
// as `node src/main.ts` by many launchers; the growth factor is read whenever V8 considers growing.
// The old generation likewise: the objects received and dropped (parts' JSON, resources a resync found unchanged)
// pile up there until a major GC, and V8 lets it grow up to 4x its live size first (peak +190 MB on a resync of
// 100k keys). The data plane's start calls `limitHeapGrowth`: a major GC comes once the old generation grew by 30%
// (V8 sets the next limit only at a major GC, so it must hold before a bulk build starts). Measured with 100k keys:
// about 20 MB less resident memory after the first full snapshot; its throughput cost is in `pnpm bench`.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

const normalGrowth = 2;
/** While held, the young generation may grow up to this (both semi-spaces): a part's objects then die young. */
export const youngGenerationCap = 16 * 1024 * 1024;
/** Whoever holds the young generation small: released holders, and holders garbage-collected, no longer count. */
const holders = new Set<WeakRef<object>>();
let small = false;
let factor = normalGrowth;

/** Old generation growth: a major GC once it grew by 30% (V8's own factor is 1.1 to 4, by GC speed). */
export const oldGrowthPercent = 15;

/** Bounds the old generation's growth between major GCs (the data plane's start, before any config is built). */
export function limitHeapGrowth(percent = oldGrowthPercent): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

function setFactor(f: number): void {
  if (f === factor) return;
  factor = f;
  setFlagsFromString(`--semi-space-growth-factor=${f}`);
}

function update(): void {
  for (const h of holders) if (!h.deref()) holders.delete(h);
  small = holders.size > 0;
  let f = normalGrowth;
  if (small) {
    const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (!young || young.space_size >= youngGenerationCap) f = 1;
  }
  setFactor(f);
}

/** While held: lets the young generation grow again if it is below the cap (call now and then, e.g. per part). */
export function checkYoungGeneration(): void {
  if (small) update();
}

/** Keeps the young generation from growing until the returned function is called (or `owner` is collected). */
export function holdYoungGeneration(owner: object): () => void {
  const ref = new WeakRef(owner);
  holders.add(ref);
  update();
  return () => {
    holders.delete(ref);
    update();
  };
}

/** Whether some bulk build currently holds the young generation small (tests). */
export function youngGenerationHeld(): boolean {
  update();
  return small;
}
