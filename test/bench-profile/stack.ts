// A stack to profile the data plane by hand: PostgreSQL, fixture and control plane on core 1, a bare proxy and one
// data plane on core 0 (with DP_NODE_OPTIONS, e.g. --cpu-prof), then it prints the URLs and key and waits for Ctrl-C.
// `node test/bench-profile/stack.ts` then drive load with wrk (test/bench/wrk) against the printed URLs.
import { execFileSync } from 'node:child_process';
import { startControlPlane } from '../harness/control-plane.ts';
import { startDataPlane } from '../harness/data-plane.ts';
import { startFixtureProcess } from '../harness/fixture-process.ts';
import { gqlClient } from '../harness/gql.ts';
import { freePort } from '../harness/ports.ts';
import { startPostgres } from '../harness/postgres.ts';
import { ManagedProcess } from '../harness/process.ts';
import { seed } from '../harness/seed.ts';
import { Teardown } from '../harness/teardown.ts';

const fixtureKey = 'sk-bench-upstream';
const teardown = new Teardown();
const stop = () => void teardown.run().finally(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)]);
const db = teardown.add(await startPostgres(), (d) => d.stop(), 'postgres');
const fixture = teardown.add(
  await startFixtureProcess({ apiKey: fixtureKey, name: 'fixture', cpuCore: 1, inspect: false }),
  (f) => f.dispose(),
  'fixture',
);
const fixtureUrl = `http://127.0.0.1:${fixture.port}`;
const cp = teardown.add(
  await startControlPlane({ databaseUrl: db.url, name: 'control-plane', cpuCore: 1 }),
  (c) => c.dispose(),
  'control plane',
);
const seeded = await seed(gqlClient(cp.graphqlUrl, cp.adminToken), {
  fixtureUrl: `${fixtureUrl}/v1`,
  fixtureApiKey: fixtureKey,
  models: [
    { name: 'gpt-bench', upstreamModel: 'fixture-model' },
    { name: 'gpt-bench-stream', upstreamModel: 'fixture-model@chunks=8' },
  ],
});
const barePort = await freePort();
const bare = teardown.add(
  new ManagedProcess({
    name: 'bare-proxy',
    args: ['test/bench/bare-proxy.ts', '--port', String(barePort), '--upstream', fixtureUrl, '--api-key', fixtureKey],
    env: process.env.BARE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BARE_NODE_OPTIONS } : {},
    healthUrl: `http://127.0.0.1:${barePort}/healthz`,
    cpuCore: 0,
  }),
  (p) => p.dispose(),
  'bare proxy',
);
await bare.start();
const dp = teardown.add(
  await startDataPlane({
    controlPlaneUrl: cp.url,
    dataPlaneToken: cp.dataPlaneToken,
    nodeId: 'profile-dp',
    cpuCore: 0,
    nodeArgs: process.env.DP_NODE_ARGS ? process.env.DP_NODE_ARGS.split(' ') : [],
    env: {
      USAGE_FLUSH_MS: '1000',
      LOG_LEVEL: 'info',
      ...(process.env.DP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.DP_NODE_OPTIONS } : {}),
    },
  }),
  (d) => d.dispose(),
  'data plane',
);
console.log(
  JSON.stringify({
    dp: dp.url,
    dpPid: dp.process.pid,
    bare: `http://127.0.0.1:${barePort}`,
    barePid: bare.pid,
    key: seeded.key.secret,
  }),
);
