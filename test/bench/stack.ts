// What every benchmark block runs against, started once: PostgreSQL, the provider fixture and the control plane on
// the helper core, and the seeded org, key and the two bench models. `pnpm bench` and the profiling stack share it.
import { type ControlPlane, startControlPlane } from '../harness/control-plane.ts';
import { startFixtureProcess } from '../harness/fixture-process.ts';
import { gqlClient } from '../harness/gql.ts';
import { startPostgres, type TestDatabase } from '../harness/postgres.ts';
import { seed } from '../harness/seed.ts';
import type { Teardown } from '../harness/teardown.ts';
import { fixtureModel, fixtureStreamModel } from './targets.ts';

export const fixtureKey = 'sk-bench-upstream';

export interface BenchStack {
  db: TestDatabase;
  cp: ControlPlane;
  fixtureUrl: string;
  /** The seeded virtual key, allowed both bench models (`gpt-bench`, `gpt-bench-stream`). */
  dataPlaneKey: string;
}

/** Starts it all under `teardown`, the fixture and the control plane pinned to `helperCore`. */
export async function startBenchStack(teardown: Teardown, helperCore: number | undefined): Promise<BenchStack> {
  const db = teardown.add(await startPostgres(), (d) => d.stop(), 'postgres');
  const fixture = teardown.add(
    await startFixtureProcess({ apiKey: fixtureKey, name: 'bench-fixture', cpuCore: helperCore, inspect: false }),
    (f) => f.dispose(),
    'fixture',
  );
  const fixtureUrl = `http://127.0.0.1:${fixture.port}`;
  const cp = teardown.add(
    await startControlPlane({
      databaseUrl: db.url,
      name: 'bench-control-plane',
      cpuCore: helperCore,
      env: { LOG_LEVEL: 'warn' },
      // A restart on 100,000 keys takes longer than the default allows.
      startTimeoutMs: 300_000,
    }),
    (c) => c.dispose(),
    'control plane',
  );
  const seeded = await seed(gqlClient(cp.graphqlUrl, cp.adminToken), {
    fixtureUrl: `${fixtureUrl}/v1`,
    fixtureApiKey: fixtureKey,
    models: [
      { name: 'gpt-bench', upstreamModel: fixtureModel },
      { name: 'gpt-bench-stream', upstreamModel: fixtureStreamModel },
    ],
  });
  return { db, cp, fixtureUrl, dataPlaneKey: seeded.key.secret };
}
