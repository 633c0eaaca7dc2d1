// The stack one e2e file runs against, every part a process of its own: PostgreSQL, the provider fixture, the
// control plane (tenant seeded over GraphQL) and two data planes.
import OpenAI from 'openai';
import { type ControlPlane, startControlPlane } from '../harness/control-plane.ts';
import { type DataPlane, type DataPlaneOptions, startDataPlane } from '../harness/data-plane.ts';
import { type FixtureProcess, startFixtureProcess } from '../harness/fixture-process.ts';
import { type Gql, gqlClient } from '../harness/gql.ts';
import { startPostgres, type TestDatabase } from '../harness/postgres.ts';
import { type ModelSpec, type Seeded, seed } from '../harness/seed.ts';
import { Teardown } from '../harness/teardown.ts';

export const fixtureApiKey = 'sk-fixture-upstream';

export interface Stack {
  db: TestDatabase;
  fixture: FixtureProcess;
  cp: ControlPlane;
  admin: Gql;
  seeded: Seeded;
  dps: DataPlane[];
  /** Starts another data plane against this control plane (stopped by teardown). */
  addDataPlane(nodeId: string, opts?: Partial<DataPlaneOptions>): Promise<DataPlane>;
  /** An OpenAI client for a data plane: no retries, so every error surfaces once. */
  client(dp: DataPlane, apiKey?: string, timeoutMs?: number): OpenAI;
  teardown: Teardown;
}

export interface StackOptions {
  /** Prefix for node ids and log names, e.g. the test file's name. */
  name: string;
  models?: ModelSpec[];
  dataPlanes?: number;
  dataPlaneEnv?: Record<string, string>;
  /** Extra control-plane environment (LOG_LEVEL, SEED_ADMIN_EMAIL, ...). */
  controlPlaneEnv?: Record<string, string>;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const teardown = new Teardown();
  try {
    const db = teardown.add(await startPostgres(), (d) => d.stop(), 'postgres');
    const fixture = teardown.add(
      await startFixtureProcess({ apiKey: fixtureApiKey, name: `${opts.name}-fixture` }),
      (f) => f.dispose(),
      'fixture',
    );
    const cp = teardown.add(
      await startControlPlane({ databaseUrl: db.url, name: `${opts.name}-control-plane`, env: opts.controlPlaneEnv }),
      (c) => c.dispose(),
      'control plane',
    );
    const admin = gqlClient(cp.graphqlUrl, cp.adminToken);
    const seeded = await seed(admin, { fixtureUrl: fixture.url, fixtureApiKey, models: opts.models });
    const addDataPlane = async (nodeId: string, extra: Partial<DataPlaneOptions> = {}) =>
      teardown.add(
        await startDataPlane({
          controlPlaneUrl: cp.url,
          dataPlaneToken: cp.dataPlaneToken,
          nodeId: `${opts.name}-${nodeId}`,
          ...extra,
          env: { ...opts.dataPlaneEnv, ...extra.env },
        }),
        (d) => d.dispose(),
        `data plane ${nodeId}`,
      );
    const dps: DataPlane[] = [];
    for (let i = 1; i <= (opts.dataPlanes ?? 2); i += 1) dps.push(await addDataPlane(`dp${i}`));
    return {
      db,
      fixture,
      cp,
      admin,
      seeded,
      dps,
      addDataPlane,
      client: (dp, apiKey = seeded.key.secret, timeoutMs = 15_000) =>
        new OpenAI({ apiKey, baseURL: dp.baseURL, maxRetries: 0, timeout: timeoutMs }),
      teardown,
    };
  } catch (e) {
    await teardown.run().catch((t: Error) => console.error(t.message));
    throw e;
  }
}
