// Quick probe (not a test): memory and step times of a store built from a 100k-key snapshot arriving as a full
// snapshot in parts, read one message at a time from a file another process wrote (as from a socket).
// Usage (in data-plane/): pnpm exec node src/test-support/memory-probe.ts gen /tmp/full.jsonl, then
// pnpm exec node --expose-gc src/test-support/memory-probe.ts apply /tmp/full.jsonl (WAIT_MS: how long to wait
// before measuring again).
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fullMessages, snapshotHash } from '@gw/schema';
import { SyncApplier } from '../snapshot/apply.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import { scaleSnapshot } from './scale-snapshot.ts';

const [mode, file] = process.argv.slice(2);
const gc = (globalThis as { gc: () => void }).gc;
const mem = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage();
};
const mb = (n: number) => (n / 1048576).toFixed(1);
/** Pages the process freed with MADV_FREE (V8 does) still count in RSS until the kernel takes them back. */
const lazyFree = () => {
  const m = /LazyFree:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

if (mode === 'gen') {
  const s = scaleSnapshot();
  writeFileSync(
    file,
    `${fullMessages(1, snapshotHash(s), s)
      .map((m) => JSON.stringify(m))
      .join('\n')}\n`,
  );
} else {
  const m0 = await mem();
  const applier = new SyncApplier();
  const steps: number[] = [];
  let store: SnapshotStore | null = null;
  const t0 = performance.now();
  for await (const line of createInterface({ input: createReadStream(file) })) {
    let t = process.cpuUsage();
    const gen = applier.apply(null, JSON.parse(line));
    for (;;) {
      const r = gen.next();
      const used = process.cpuUsage(t);
      steps.push((used.user + used.system) / 1000);
      if (r.done) {
        if (r.value.kind === 'applied') store = r.value.store;
        else if (r.value.kind === 'rejected') throw new Error(r.value.reason);
        break;
      }
      await new Promise((res) => setImmediate(res));
      t = process.cpuUsage();
    }
  }
  const total = performance.now() - t0;
  steps.sort((a, b) => a - b);
  const m1 = await mem();
  console.log(
    `full apply ${total.toFixed(0)} ms in ${steps.length} steps (CPU time per step, message JSON.parse included: p50 ${steps[steps.length >> 1].toFixed(1)} ms, ` +
      `p99 ${steps[Math.floor(steps.length * 0.99)].toFixed(1)} ms, max ${steps.at(-1)?.toFixed(1)} ms)`,
  );
  console.log(
    `empty: rss ${mb(m0.rss)} heap ${mb(m0.heapUsed)}; 100k keys: rss ${mb(m1.rss)} heap ${mb(m1.heapUsed)}; ` +
      `difference: rss +${mb(m1.rss - m0.rss)} heap +${mb(m1.heapUsed - m0.heapUsed)} (keys: ${store?.keysByHash.size})`,
  );
  const freed = lazyFree();
  console.log(`of which LazyFree (freed, reclaimable) ${mb(freed)} MB: rss without it +${mb(m1.rss - freed - m0.rss)}`);
  console.log(
    `heapTotal ${mb(m0.heapTotal)} -> ${mb(m1.heapTotal)}, external ${mb(m0.external)} -> ${mb(m1.external)}`,
  );
  await new Promise((r) => setTimeout(r, Number(process.env.WAIT_MS ?? 10_000)));
  const m2 = await mem();
  console.log(
    `${Number(process.env.WAIT_MS ?? 10_000) / 1000} s later: rss +${mb(m2.rss - m0.rss)} (LazyFree ${mb(lazyFree())}) heapTotal ${mb(m2.heapTotal)} heap +${mb(m2.heapUsed - m0.heapUsed)}`,
  );
}
