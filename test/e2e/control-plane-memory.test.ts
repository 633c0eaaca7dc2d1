// Soak: the control plane under a sustained, mixed and hostile load keeps a flat heap. Heap after a full GC at the
// end must match heap after warm-up within a tolerance. CP_SOAK_SECONDS sets the measured part (default 60 s; the
// probing that once left the process at 1.5 GB ran for 20 minutes: CP_SOAK_SECONDS=1200).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlane, startControlPlane } from '../harness/control-plane.ts';
import { connectInspector, type Inspector, type MemoryReading } from '../harness/inspector.ts';
import { freePort } from '../harness/ports.ts';
import { startPostgres } from '../harness/postgres.ts';
import { Teardown } from '../harness/teardown.ts';
import { sleep } from '../harness/wait.ts';
import { createTenants, startLoad, type Tenant } from './control-plane-load.ts';

const soakSeconds = Number(process.env.CP_SOAK_SECONDS ?? 60);
const warmupSeconds = 15;
const seed = 20_261_207;
/** Allowed heap growth between the two readings: GC noise and pooled connections, far below any per-request leak. */
const toleranceBytes = 8 * 1024 * 1024;

const td = new Teardown();
let cp: ControlPlane;
let inspector: Inspector;
let tenants: Tenant[];

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const show = (label: string, m: MemoryReading) =>
  `${label.padEnd(16)} heap ${mb(m.heapUsed).padStart(9)}  rss ${mb(m.rss).padStart(9)}  external ${mb(m.external)}`;

/**
 * Distinct documents, one request each: enough to fill every bounded cache of parsed documents, so that what the
 * soak measures afterwards is growth, not caches reaching their bound.
 */
async function fillDocumentCaches(count: number, concurrency = 4): Promise<void> {
  let sent = 0;
  const sender = async () => {
    for (let i = sent++; i < count; i = sent++) {
      const query = `{ organization(id: "${randomUUID()}") { id name teams { nodes { id } } } }`;
      const res = await fetch(cp.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tenants[i % tenants.length].session}` },
        body: JSON.stringify({ query }),
      });
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
}

beforeAll(async () => {
  const db = td.add(await startPostgres(), (d) => d.stop(), 'postgres');
  const inspectPort = await freePort();
  cp = td.add(
    await startControlPlane({
      databaseUrl: db.url,
      name: 'memory-soak-control-plane',
      env: { NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}`, LOG_LEVEL: 'warn' },
    }),
    (c) => c.dispose(),
    'control plane',
  );
  inspector = td.add(await connectInspector(inspectPort), (i) => i.close(), 'inspector');
  tenants = await createTenants(cp, 3);
});
afterAll(() => td.run());

describe('control plane memory', () => {
  it(
    `stays flat under ${soakSeconds} s of mixed GraphQL, subscriptions and usage ingestion`,
    async () => {
      const readings = [show('idle', await inspector.memoryAfterGc())];
      const load = startLoad(cp, tenants, { seed, workers: 3 });
      try {
        await fillDocumentCaches(2_000);
        await sleep(warmupSeconds * 1_000);
        const warm = await inspector.memoryAfterGc();
        readings.push(show('after warm-up', warm));
        const end = Date.now() + soakSeconds * 1_000;
        while (Date.now() < end) {
          await sleep(Math.min(15_000, Math.max(0, end - Date.now())));
          readings.push(
            show(
              `+${Math.round((soakSeconds * 1_000 - (end - Date.now())) / 1_000)} s`,
              await inspector.memoryAfterGc(),
            ),
          );
        }
        const stats = await load.stop();
        const last = await inspector.memoryAfterGc();
        readings.push(show('load stopped', last));
        console.log(
          [
            `control-plane memory soak (seed ${seed}, ${soakSeconds} s measured):`,
            ...readings,
            `sent: ${JSON.stringify(stats.sent)}`,
            ...(stats.serverErrors.length ? ['server errors (first ones):', ...new Set(stats.serverErrors)] : []),
          ].join('\n'),
        );

        expect(stats.transportErrors, 'the control plane stopped answering').toEqual([]);
        for (const kind of ['cross-tenant', 'own-reads', 'malformed', 'failed-login', 'ingest', 'ws-usage']) {
          expect(stats.sent[kind] ?? 0, `${kind} operations sent`).toBeGreaterThan(10);
        }
        expect(last.heapUsed - warm.heapUsed, readings.join('\n')).toBeLessThan(toleranceBytes);
      } finally {
        await load.stop();
      }
    },
    (soakSeconds + warmupSeconds + 240) * 1_000,
  );
});
