// The stack a fuzzer attacks: the e2e stack (fresh PostgreSQL, fixture provider, control plane, one data plane) with
// an org admin who can log in, keys in several states, a canary tenant the fuzzed callers cannot reach, and the
// closing checks every fuzzer ends with (no process died, no error-level line, usage still reaches the books).
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { type Stack, startStack } from '../e2e/stack.ts';
import { chatOutcome, createTenant, untilServed } from '../e2e/tenancy.ts';
import { waitForUsage } from '../e2e/usage.ts';
import { gql } from '../harness/gql.ts';
import { type CreatedKey, createKey, revokeKey } from '../harness/seed.ts';
import { sleep } from '../harness/wait.ts';
import { maxBodyBytes } from './data-plane-inputs.ts';
import { drainOutput, type LogProblem, LogWatch, summarize } from './log-watch.ts';

export interface FuzzKeys {
  /** Every model allowed. */
  valid: CreatedKey;
  /** May use `gpt-fixture` only. */
  restricted: CreatedKey;
  /** Revoked before fuzzing starts. */
  revoked: CreatedKey;
}

export interface FuzzStack {
  stack: Stack;
  watch: LogWatch;
  keys: FuzzKeys;
  /** An ORG_ADMIN of the seeded org, logged in: a session token. */
  orgAdmin: { id: string; email: string; token: string };
  /** Ids that exist, for ID arguments (the org admin's own id excluded: disabling itself would end the session). */
  knownIds: string[];
  /** A key of another org, used only by the closing usage check. */
  canaryKey: CreatedKey;
  /** Stops the watch and every process. */
  stop(): Promise<void>;
}

export async function startFuzzStack(name: string): Promise<FuzzStack> {
  const stack = await startStack({
    name,
    dataPlanes: 1,
    // A short flush interval lets each run wait for its own usage record cheaply.
    dataPlaneEnv: { MAX_BODY_BYTES: String(maxBodyBytes), USAGE_FLUSH_MS: '20' },
    models: [
      { name: 'gpt-fixture', upstreamModel: 'fixture-model' },
      { name: 'gpt-other', upstreamModel: 'fixture-model-mini' },
    ],
  });
  const watch = new LogWatch([
    { label: 'control plane', process: stack.cp.process },
    { label: 'data plane', process: stack.dps[0].process },
  ]);
  try {
    const { admin, seeded } = stack;
    const orgId = seeded.org.id;
    const teamId = seeded.team.id;
    const restricted = await createKey(admin, { orgId, teamId, name: 'restricted', allowedModels: ['gpt-fixture'] });
    const revoked = await createKey(admin, { orgId, teamId, name: 'revoked' });
    await revokeKey(admin, revoked.id);

    const canary = await createTenant(admin, 'Canary');
    const canaryKey = canary.teamKey;

    const email = `org-admin@${name}.test`;
    const password = randomBytes(12).toString('base64url');
    const { createAdminUser } = await admin<{ createAdminUser: { id: string } }>(
      'mutation ($i: CreateAdminUserInput!) { createAdminUser(input: $i) { id } }',
      { i: { email, password, role: 'ORG_ADMIN', orgId } },
    );
    const { login } = await gql<{ login: { token: string } }>(
      stack.cp.graphqlUrl,
      undefined,
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: email, p: password },
    );
    await untilServed(stack.dps, canaryKey.secret);
    await untilServed(stack.dps, restricted.secret);

    return {
      stack,
      watch,
      keys: { valid: seeded.key, restricted, revoked },
      orgAdmin: { id: createAdminUser.id, email, token: login.token },
      knownIds: [
        orgId,
        teamId,
        seeded.user.id,
        seeded.key.id,
        restricted.id,
        revoked.id,
        seeded.credentialId,
        ...Object.values(seeded.models),
        canary.orgId,
        canary.teamId,
        canaryKey.id,
      ],
      canaryKey,
      stop: async () => {
        watch.stop();
        await stack.teardown.run();
      },
    };
  } catch (e) {
    watch.stop();
    await stack.teardown.run().catch(() => {});
    throw e;
  }
}

/** Whose lines a run answers for: lines of `process` without a request id, and any line with `requestId`. */
export interface RunOwner {
  process: string;
  requestId?: string;
}

let barrierHost = 1;

/**
 * Resolves once every line the control plane logged before this call has reached the watch. Its logger writes
 * asynchronously, in order: so a websocket opened without a token, which it refuses with a warning naming the
 * client's address, makes it print a line after all earlier ones; a loopback address of its own (127.0.0.2-254,
 * all loopback on Linux) tells our line apart.
 */
export async function controlPlaneBarrier(f: FuzzStack): Promise<void> {
  barrierHost = (barrierHost % 253) + 2;
  const address = `127.0.0.${barrierHost}`;
  const seen = f.watch.nextLine(
    'control plane',
    (line) => line.includes('"websocket refused') && line.includes(`"${address}"`),
    10_000,
  );
  const socket = new WebSocket(f.stack.cp.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws', {
    localAddress: address,
  });
  socket.on('error', () => {});
  socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
  try {
    await seen;
  } catch (e) {
    throw new Error(
      `control plane log barrier: ${(e as Error).message} (a websocket without a token must be refused with a warning)`,
    );
  } finally {
    socket.terminate();
  }
}

/**
 * What went wrong in the processes during one run: a process that died, and the error-level lines since `mark`
 * that belong to the run. Lines of other requests (a usage batch the data plane sends later) are left to the
 * closing check, which traces them back to their input.
 */
export async function runProblems(f: FuzzStack, mark: number, owner: RunOwner): Promise<string[]> {
  const dead = f.watch.dead();
  if (dead.length) return dead;
  if (owner.process === 'control plane') await controlPlaneBarrier(f);
  else await drainOutput();
  const mine = f.watch
    .since(mark)
    .filter((p) => (p.requestId === undefined ? p.process === owner.process : p.requestId === owner.requestId));
  return [...f.watch.dead(), ...summarize(mine)];
}

/** Fails the run when there are problems: they come first (a failure's kind), then the details to debug it. */
export function failOn(problems: string[], details: string): void {
  if (problems.length) throw new Error(`${problems.join('\n')}\n  ${details}`);
}

/**
 * Waits until the usage record of `requestId` is in PostgreSQL; throws at once with the line when a process logs an
 * error about that request (a record the control plane refused), and after `timeoutMs` when usage is stalled.
 */
export async function expectUsageRecorded(f: FuzzStack, requestId: string, mark: number, timeoutMs = 10_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { rowCount } = await f.stack.db.pool.query('select 1 from usage_records where request_id = $1', [requestId]);
    if (rowCount) return;
    await drainOutput();
    const about = f.watch.since(mark).filter((p) => p.requestId === requestId);
    if (about.length) throw new Error(`its usage record was not stored:\n${summarize(about).join('\n')}`);
    if (performance.now() > deadline) throw new Error(`usage stalled: no record of ${requestId} after ${timeoutMs} ms`);
    await sleep(10);
  }
}

/**
 * The closing check of every fuzzer: both processes alive, no error-level line during the whole run (late ones,
 * like a usage record the control plane refused, are traced back to the input through `inputOf`), and usage not
 * stalled: every metered request in `meteredIds` and a normal canary request reach PostgreSQL within a bound.
 */
export async function expectNothingBroke(
  f: FuzzStack,
  opts: { meteredIds?: string[]; inputOf?: (requestId: string) => string | undefined } = {},
): Promise<void> {
  const canary = await chatOutcome(f.stack.dps[0].url, f.canaryKey.secret);
  expect(canary.status, 'a normal request after fuzzing').toBe(200);
  const ids = [...(opts.meteredIds ?? []), canary.requestId as string];
  let usageError: Error | undefined;
  await waitForUsage(f.stack.db, ids, 20_000).catch((e: Error) => {
    usageError = e;
  });
  await drainOutput();
  const problems = f.watch.all();
  const report = [
    ...f.watch.dead(),
    ...(problems.length ? [`error-level log lines, by kind:\n${groupProblems(problems, opts.inputOf)}`] : []),
    ...(usageError ? [`usage stalled: ${usageError.message}`] : []),
  ];
  if (report.length) throw new Error(report.join('\n\n'));
}

/** One entry per kind of line: how often, one line in full, and the shortest input that caused one. */
function groupProblems(problems: LogProblem[], inputOf?: (requestId: string) => string | undefined): string {
  const kinds = new Map<string, { count: number; first: LogProblem; input: string | undefined }>();
  for (const p of problems) {
    const kind = `${p.process}: ${p.summary}`;
    const entry = kinds.get(kind) ?? { count: 0, first: p, input: undefined };
    entry.count += 1;
    const input = p.requestId ? inputOf?.(p.requestId) : undefined;
    if (input && (entry.input === undefined || input.length < entry.input.length)) entry.input = input;
    kinds.set(kind, entry);
  }
  return [...kinds.values()]
    .map(
      ({ count, first, input }) =>
        `  ${first.process}: ${first.line.slice(0, 2_000)}\n    (${count}×)${input ? ` shortest input that caused it: ${input}` : ''}`,
    )
    .join('\n');
}
