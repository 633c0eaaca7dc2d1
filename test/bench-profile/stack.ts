// A stack to profile the data plane by hand: `pnpm bench`'s PostgreSQL, fixture and control plane on core 1, and one
// bare proxy and one data plane alone on core 0; it prints their URLs, PIDs and the key, and runs until Ctrl-C.
// `node test/bench-profile/stack.ts`, then drive load with wrk (test/bench/wrk/chat.lua) against the printed URLs.
// BARE_NODE_OPTIONS / DP_NODE_OPTIONS (e.g. --cpu-prof --cpu-prof-dir=DIR) and DP_NODE_ARGS (e.g. --trace-gc, which
// NODE_OPTIONS refuses) are passed to them.
import { execFileSync } from 'node:child_process';
import { fixtureKey, startBenchStack } from '../bench/stack.ts';
import { type Launch, startTarget } from '../bench/targets.ts';
import { Teardown } from '../harness/teardown.ts';

const nodeOptions = (value: string | undefined): Record<string, string> => (value ? { NODE_OPTIONS: value } : {});

const teardown = new Teardown();
const stop = () => void teardown.run().finally(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// Children inherit this affinity: everything but the two processes under test stays on core 1.
execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)]);
const { cp, fixtureUrl, dataPlaneKey } = await startBenchStack(teardown, 1);
const launch: Launch = { fixtureUrl, fixtureKey, controlPlane: cp, dataPlaneKey, core: 0, env: {} };
const bare = teardown.add(
  await startTarget('bare-proxy', { ...launch, env: nodeOptions(process.env.BARE_NODE_OPTIONS) }),
  (t) => t.stop(),
  'bare proxy',
);
const dp = teardown.add(
  await startTarget('data-plane', {
    ...launch,
    env: nodeOptions(process.env.DP_NODE_OPTIONS),
    nodeArgs: process.env.DP_NODE_ARGS ? process.env.DP_NODE_ARGS.split(' ') : [],
  }),
  (t) => t.stop(),
  'data plane',
);
console.log(JSON.stringify({ dp: dp.url, dpPid: dp.pid, bare: bare.url, barePid: bare.pid, key: dp.key }));
