// `pnpm bench:limits`: what budgets and rate limits cost the data plane. One data plane alone on core 0 serves two
// keys of the same shape, one under no limits and one whose org, team, user and key each have budgets for every
// period and rpm/tpm limits (high enough never to refuse). wrk (core 1) loads them in turn, closed loop, JSON and
// streaming, the order swapped each round; the medians give throughput and CPU per request with limits on against
// off, measured in the same process in the same run.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fixtureKey, startBenchStack } from '../bench/stack.ts';
import { cpuSeconds } from '../bench/stats.ts';
import { startTarget } from '../bench/targets.ts';
import { ensureWrk, runWrk } from '../bench/wrk.ts';
import { gqlClient } from '../harness/gql.ts';
import { createKey } from '../harness/seed.ts';
import { Teardown } from '../harness/teardown.ts';
import { sleep } from '../harness/wait.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
/** Target: throughput with limits at least this share of it without. */
const target = 0.9;

const pinned = availableParallelism() >= 2;
const targetCore = pinned ? 0 : undefined;
const helperCore = pinned ? 1 : undefined;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Budgets on every period and rpm/tpm far above what one data plane can serve: checked on every call, never hit. */
const everyLimit = {
  budgets: { daily: '100000', weekly: '200000', monthly: '500000', total: '1000000' },
  rpm: 100_000_000,
  tpm: 2_000_000_000,
};

async function main(): Promise<void> {
  ensureWrk();
  const teardown = new Teardown();
  process.once('SIGINT', () => void teardown.run().finally(() => process.exit(130)));
  try {
    if (helperCore !== undefined) execFileSync('taskset', ['-a', '-p', '-c', String(helperCore), String(process.pid)]);
    console.log('Starting the stack…');
    const { cp, fixtureUrl, dataPlaneKey } = await startBenchStack(teardown, helperCore);
    const admin = gqlClient(cp.graphqlUrl, cp.adminToken);
    const limitedKey = await seedLimitedTenant(admin);
    const dp = teardown.add(
      await startTarget('data-plane', {
        fixtureUrl,
        fixtureKey,
        controlPlane: cp,
        dataPlaneKey,
        core: targetCore,
        env: {},
      }),
      (t) => t.stop(),
      'data plane',
    );
    const keys = { off: dataPlaneKey, on: limitedKey };
    const figures: Record<string, { rps: number[]; cpu: number[] }> = {};
    const load = async (label: 'off' | 'on', stream: boolean, secs: number) => {
      const cpu0 = cpuSeconds(dp.pid);
      const r = await runWrk({
        url: dp.url,
        key: keys[label],
        model: stream ? dp.streamModel : dp.model,
        stream,
        rate: null,
        seconds: secs,
        connections: 100,
        threads: 1,
        core: helperCore,
      });
      const cpu = cpuSeconds(dp.pid) - cpu0;
      if (r.errors) throw new Error(`${r.errors} errors with limits ${label} (${JSON.stringify(r.errorKinds)})`);
      return { rps: r.rps, cpuPerReq: (cpu / r.requests) * 1e6 };
    };
    console.log('Warming up both keys…');
    for (const label of ['off', 'on'] as const) for (const stream of [false, true]) await load(label, stream, 3);
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const stream of [false, true]) {
        for (const label of order) {
          await sleep(1_000);
          const r = await load(label, stream, seconds);
          const name = `${stream ? 'stream' : 'json'}-${label}`;
          figures[name] ??= { rps: [], cpu: [] };
          figures[name].rps.push(r.rps);
          figures[name].cpu.push(r.cpuPerReq);
          console.log(
            `  round ${round + 1} ${name.padEnd(10)} ${r.rps.toFixed(0).padStart(6)}/s  ${r.cpuPerReq.toFixed(0)} µs/req`,
          );
        }
      }
    }
    console.log(`\nMedians of ${rounds} rounds, one data plane, limits off → on:`);
    let met = true;
    for (const kind of ['json', 'stream']) {
      const off = figures[`${kind}-off`];
      const on = figures[`${kind}-on`];
      const ratio = median(on.rps) / median(off.rps);
      met &&= ratio >= target;
      console.log(
        `  ${kind.padEnd(6)} max ${median(off.rps).toFixed(0)}/s → ${median(on.rps).toFixed(0)}/s (${(ratio * 100).toFixed(1)}%)` +
          `   CPU/req ${median(off.cpu).toFixed(0)} → ${median(on.cpu).toFixed(0)} µs` +
          `  ${ratio >= target ? 'PASS' : 'FAIL'} (≥ ${target * 100}%)`,
      );
    }
    process.exitCode = met ? 0 : 1;
  } finally {
    await teardown.run();
  }
}

/** An org, team and user with a key, every scope under `everyLimit`; returns the key's secret. */
async function seedLimitedTenant(admin: ReturnType<typeof gqlClient>): Promise<string> {
  const { createOrganization: org } = await admin<{ createOrganization: { id: string } }>(
    'mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }',
    { input: { name: 'Limited' } },
  );
  const { createTeam: team } = await admin<{ createTeam: { id: string } }>(
    'mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }',
    { input: { orgId: org.id, name: 'Limited team' } },
  );
  const { createUser: user } = await admin<{ createUser: { id: string } }>(
    'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }',
    { input: { orgId: org.id, email: 'limited@bench.test', name: 'Limited', teamIds: [team.id] } },
  );
  const key = await createKey(admin, { orgId: org.id, teamId: team.id, userId: user.id, name: 'limited' });
  for (const [scope, scopeId] of [
    ['ORG', org.id],
    ['TEAM', team.id],
    ['USER', user.id],
    ['KEY', key.id],
  ]) {
    await admin(
      `mutation ($orgId: ID!, $scope: LimitScope!, $scopeId: ID!, $input: LimitsInput!) {
        setLimits(orgId: $orgId, scope: $scope, scopeId: $scopeId, input: $input) { id }
      }`,
      { orgId: org.id, scope, scopeId, input: everyLimit },
    );
  }
  return key.secret;
}

await main();
