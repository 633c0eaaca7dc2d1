// V8 grows its young generation while many of the objects it allocates survive, as they do while a store is built
// from a 100k-resource snapshot, up to 2 x 64 MB (Node 24, 64-bit), and keeps it afterwards: measured, that was
// +128 MB of resident memory for a 50 MB store. While a bulk build runs (a full snapshot being received, boot from
// disk) the growth factor is 1, so the young generation keeps its size; the usual factor (2) is restored after.
// `--max-semi-space-size` would bound it for good, but V8 reads it only at startup, and the data plane is started
// as `node src/main.ts` by many launchers; the growth factor is read whenever V8 considers growing.
import { setFlagsFromString } from 'node:v8';

const normalGrowth = 2;
/** Whoever holds the young generation small: released holders, and holders garbage-collected, no longer count. */
const holders = new Set<WeakRef<object>>();
let small = false;

function update(): void {
  for (const h of holders) if (!h.deref()) holders.delete(h);
  const want = holders.size > 0;
  if (want === small) return;
  small = want;
  setFlagsFromString(`--semi-space-growth-factor=${want ? 1 : normalGrowth}`);
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
