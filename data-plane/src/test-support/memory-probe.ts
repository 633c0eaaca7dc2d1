// Quick probe (not a test): memory and step times of a store built from a 100k-key snapshot arriving as a full
// snapshot in parts, read one message at a time from a file another process wrote (as from a socket).
// Usage (in data-plane/): pnpm exec node src/test-support/memory-probe.ts gen /tmp/full.jsonl, then
// pnpm exec node --expose-gc src/test-support/memory-probe.ts apply /tmp/full.jsonl (WAIT_MS: how long to wait
// before measuring again). It applies the snapshot, then 200 small deltas, then the same snapshot again on top (a
// resync), and reports settled (after GC) and peak (sampled at every step) memory against the empty process.
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fullMessages, SnapshotHasher, type SnapshotOrg, type SnapshotUser, snapshotHash } from '@gw/schema';
import { SyncApplier } from '../snapshot/apply.ts';
import { runSteps } from '../snapshot/builder.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import { limitHeapGrowth, oldGrowthPercent } from '../snapshot/young-generation.ts';
import { scaleSnapshot } from './scale-snapshot.ts';

const [mode, file] = process.argv.slice(2);

/** CPU time of applying small deltas to the 100k-key store: one key revoked, one org suspended, and so on. */
function deltaCosts(start: SnapshotStore): void {
  let store = start;
  const cpu = (f: () => void) => {
    const t = process.cpuUsage();
    f();
    const u = process.cpuUsage(t);
    return (u.user + u.system) / 1000;
  };
  const times: Record<string, number[]> = { revoke: [], suspendOrg: [], renameUser: [] };
  const keyIds = [...store.parts.byId.keys.keys()];
  const orgIds = [...store.parts.byId.orgs.keys()];
  const userIds = [...store.parts.byId.users.keys()];
  for (let i = 0; i < 200; i++) {
    const kind = (['revoke', 'suspendOrg', 'renameUser'] as const)[i % 3];
    const hasher = SnapshotHasher.fromHex(store.hash);
    let upsert = {};
    let remove = {};
    if (kind === 'revoke') {
      const id = keyIds[i];
      hasher.remove('keys', id, store.parts.byId.keys.get(id));
      remove = { keys: [id] };
    } else if (kind === 'suspendOrg') {
      const org = store.parts.byId.orgs.get(orgIds[i]) as SnapshotOrg;
      const next = { ...org, status: 'suspended' as const };
      hasher.remove('orgs', org.id, org).add('orgs', org.id, next);
      upsert = { orgs: { [org.id]: next } };
    } else {
      const user = store.parts.byId.users.get(userIds[i]) as SnapshotUser;
      const next = { ...user, email: `renamed-${user.email}` };
      hasher.remove('users', user.id, user).add('users', user.id, next);
      upsert = { users: { [user.id]: next } };
    }
    const message = {
      type: 'delta',
      fromVersion: store.version,
      version: store.version + 1,
      hash: hasher.hex,
      upsert,
      remove,
    };
    let next: SnapshotStore | null = null;
    times[kind].push(
      cpu(() => {
        const out = runSteps(new SyncApplier().apply(store, message));
        if (out.kind !== 'applied') throw new Error(out.kind === 'rejected' ? out.reason : out.kind);
        next = out.store;
      }),
    );
    store = next as unknown as SnapshotStore;
  }
  for (const [kind, t] of Object.entries(times)) {
    t.sort((a, b) => a - b);
    console.log(
      `delta ${kind}: CPU p50 ${t[t.length >> 1].toFixed(2)} ms, max ${t.at(-1)?.toFixed(2)} ms (${t.length} deltas)`,
    );
  }
}
const gc = (globalThis as { gc: () => void }).gc;
const mem = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage();
};
const mb = (n: number) => (n / 1048576).toFixed(1);
/** RSS split into anonymous memory (data) and file-backed pages (the node binary's code and data paged in). */
const rssSplit = () => {
  const t = readFileSync('/proc/self/smaps_rollup', 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(t)?.[1] ?? 0) * 1024;
  return { anon: kb('Anonymous'), file: kb('Rss') - kb('Anonymous') };
};
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
  // As main.ts does (NO_HEAP_LIMIT=1: V8's own heuristics, to compare; HEAP_GROWING_PERCENT: another percent).
  if (!process.env.NO_HEAP_LIMIT) limitHeapGrowth(Number(process.env.HEAP_GROWING_PERCENT ?? oldGrowthPercent));
  const m0 = await mem();
  const r0 = rssSplit();
  const first = await applyFile(file, null);
  let store = first.store;
  const m1 = await mem();
  report('full apply', first);
  console.log(
    `empty: rss ${mb(m0.rss)} heap ${mb(m0.heapUsed)}; 100k keys: rss ${mb(m1.rss)} heap ${mb(m1.heapUsed)}; ` +
      `difference: rss +${mb(m1.rss - m0.rss)} heap +${mb(m1.heapUsed - m0.heapUsed)} (keys: ${store?.keysByHash.size}); ` +
      `peak during the apply: rss +${mb(first.peakRss - m0.rss)} heap +${mb(first.peakHeap - m0.heapUsed)}`,
  );
  const r1 = rssSplit();
  console.log(
    `rss split: anonymous ${mb(r0.anon)} -> ${mb(r1.anon)} (+${mb(r1.anon - r0.anon)}), ` +
      `file-backed ${mb(r0.file)} -> ${mb(r1.file)} (+${mb(r1.file - r0.file)})`,
  );
  const freed = lazyFree();
  console.log(`of which LazyFree (freed, reclaimable) ${mb(freed)} MB: rss without it +${mb(m1.rss - freed - m0.rss)}`);
  console.log(
    `heapTotal ${mb(m0.heapTotal)} -> ${mb(m1.heapTotal)}, external ${mb(m0.external)} -> ${mb(m1.external)}`,
  );
  if (store) deltaCosts(store);
  // A resync: the same full snapshot again on top of the 100k-key store (which stays in force until the swap).
  const second = await applyFile(file, store);
  // As the sync client does: the new store replaces the old one, which requests no longer hold.
  first.store = null;
  store = second.store;
  const m2 = await mem();
  report('second full apply (resync)', second);
  console.log(
    `after the resync: rss +${mb(m2.rss - m0.rss)} heap +${mb(m2.heapUsed - m0.heapUsed)}; ` +
      `peak during it: rss +${mb(second.peakRss - m0.rss)} heap +${mb(second.peakHeap - m0.heapUsed)}`,
  );
  await new Promise((r) => setTimeout(r, Number(process.env.WAIT_MS ?? 10_000)));
  const m3 = await mem();
  console.log(
    `${Number(process.env.WAIT_MS ?? 10_000) / 1000} s later (${store?.keysByHash.size} keys): rss +${mb(m3.rss - m0.rss)} (LazyFree ${mb(lazyFree())}) heapTotal ${mb(m3.heapTotal)} heap +${mb(m3.heapUsed - m0.heapUsed)}`,
  );
}

interface Applied {
  store: SnapshotStore | null;
  steps: number[];
  ms: number;
  peakRss: number;
  peakHeap: number;
}

/** Applies the full snapshot in `file` on top of `current`, one step at a time, sampling memory at every step. */
async function applyFile(path: string, current: SnapshotStore | null): Promise<Applied> {
  const applier = new SyncApplier();
  const out: Applied = { store: null, steps: [], ms: 0, peakRss: 0, peakHeap: 0 };
  const t0 = performance.now();
  for await (const line of createInterface({ input: createReadStream(path) })) {
    let t = process.cpuUsage();
    const gen = applier.apply(current, JSON.parse(line));
    for (;;) {
      const r = gen.next();
      const used = process.cpuUsage(t);
      out.steps.push((used.user + used.system) / 1000);
      const m = process.memoryUsage();
      out.peakRss = Math.max(out.peakRss, m.rss);
      out.peakHeap = Math.max(out.peakHeap, m.heapUsed);
      if (r.done) {
        if (r.value.kind === 'applied') out.store = r.value.store;
        else if (r.value.kind === 'rejected') throw new Error(r.value.reason);
        break;
      }
      await new Promise((res) => setImmediate(res));
      t = process.cpuUsage();
    }
  }
  out.ms = performance.now() - t0;
  return out;
}

function report(what: string, a: Applied): void {
  const steps = [...a.steps].sort((x, y) => x - y);
  console.log(
    `${what} ${a.ms.toFixed(0)} ms in ${steps.length} steps (CPU time per step, message JSON.parse included: p50 ${steps[steps.length >> 1].toFixed(1)} ms, ` +
      `p99 ${steps[Math.floor(steps.length * 0.99)].toFixed(1)} ms, max ${steps.at(-1)?.toFixed(1)} ms)`,
  );
}
