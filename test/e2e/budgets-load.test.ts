// Hard budgets under load: 3 data planes, 100 concurrent clients (the official `openai` package) spread across them,
// an org budget of $1 with team, user and key budgets under it. Every budget holds exactly (no request bounded by
// max_tokens may push recorded spend past a limit), at least 95% of each is used before requests are refused, for
// streaming and non-streaming calls, and again with the control plane killed and restarted mid-run.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataPlane } from '../harness/data-plane.ts';
import { waitFor } from '../harness/wait.ts';
import { type BudgetWorld, budgetWorld, ledgerView, orgRecords, recordedSpend } from './budget-world.ts';
import { type Stack, startStack } from './stack.ts';

const clients = 100;
/** Output is bounded: the fixture echoes at most this many words, so the worst case the data plane holds is exact. */
const maxTokens = 16;
/** A worker stops once every call of it has been refused for this long. */
const refusedForMs = 3_000;
/** Hard stop of a run, whatever happens. */
const runLimitMs = 120_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    name: 'budgets-load',
    dataPlanes: 3,
    // Cheap input, dear output: a request costs about $0.00025, so $1 is about 4,000 calls.
    models: [{ name: 'gpt-budget', upstreamModel: 'fixture-model', inputPricePerMTok: 2, outputPricePerMTok: 40 }],
  });
}, 120_000);
afterAll(() => stack?.teardown.run());

interface Tally {
  calls: number;
  ok: number;
  refused: number;
  /** budget_unavailable: the control plane was unreachable and a lease was spent (fail-closed). */
  unavailable: number;
  unexpected: string[];
  /** Scopes named by budget_exceeded messages. */
  refusedScopes: Set<string>;
  budgetHeaderSeen: boolean;
}

const newTally = (): Tally => ({
  calls: 0,
  ok: 0,
  refused: 0,
  unavailable: 0,
  unexpected: [],
  refusedScopes: new Set(),
  budgetHeaderSeen: false,
});

async function oneCall(client: OpenAI, stream: boolean, text: string, t: Tally): Promise<'ok' | 'refused' | 'other'> {
  t.calls += 1;
  const messages = [{ role: 'user' as const, content: text }];
  try {
    if (stream) {
      const s = await client.chat.completions.create({
        model: 'gpt-budget',
        messages,
        max_tokens: maxTokens,
        stream: true,
      });
      let out = '';
      for await (const c of s) out += c.choices[0]?.delta.content ?? '';
      if (out !== `You said: ${text}`) t.unexpected.push(`stream answered '${out}'`);
    } else {
      const { data, response } = await client.chat.completions
        .create({ model: 'gpt-budget', messages, max_tokens: maxTokens })
        .withResponse();
      if (data.choices[0].message.content !== `You said: ${text}`) t.unexpected.push('wrong answer');
      if (response.headers.get('x-gateway-budget-remaining-usd') !== null) t.budgetHeaderSeen = true;
    }
    t.ok += 1;
    return 'ok';
  } catch (e) {
    if (e instanceof OpenAI.APIError && e.status === 429 && e.code === 'budget_exceeded') {
      t.refused += 1;
      const scope = /\((org|team|user|key):[^)]+\)/.exec(e.message)?.[0];
      if (scope) t.refusedScopes.add(scope);
      return 'refused';
    }
    if (e instanceof OpenAI.APIError && e.status === 503 && e.code === 'budget_unavailable') {
      t.unavailable += 1;
      return 'other';
    }
    t.unexpected.push(String(e));
    return 'other';
  }
}

/** One client: calls until it has been refused for `refusedForMs` without a success in between, or the run ends. */
async function worker(i: number, world: BudgetWorld, t: Tally, until: number): Promise<void> {
  const dp: DataPlane = stack.dps[i % stack.dps.length];
  const key = world.keys[i % world.keys.length];
  const client = new OpenAI({ apiKey: key.secret, baseURL: dp.baseURL, maxRetries: 0, timeout: 20_000 });
  const stream = i % 2 === 0;
  let refusedSince: number | null = null;
  for (let n = 0; Date.now() < until; n += 1) {
    const outcome = await oneCall(client, stream, `budget probe ${i} ${n}`, t);
    if (outcome === 'ok') refusedSince = null;
    else if (outcome === 'refused') {
      refusedSince ??= Date.now();
      if (Date.now() - refusedSince >= refusedForMs) return;
    }
    // A refused or unavailable call is answered at once: pause so that refusals do not spin.
    if (outcome !== 'ok') await new Promise((r) => setTimeout(r, 50));
  }
}

async function run(world: BudgetWorld, t: Tally): Promise<void> {
  const until = Date.now() + runLimitMs;
  await Promise.all(Array.from({ length: clients }, (_, i) => worker(i, world, t, until)));
}

/** Nano-dollars of a decimal USD string, exactly. */
function nano(usd: string): bigint {
  const [whole, frac = ''] = usd.split('.');
  return BigInt(whole) * 1_000_000_000n + BigInt(frac.padEnd(9, '0').slice(0, 9));
}

/** Waits until every answered call has its usage record in PostgreSQL. */
async function settled(world: BudgetWorld, t: Tally): Promise<void> {
  await waitFor(`${t.calls} usage records`, async () => (await orgRecords(stack.db, world.orgId)) === t.calls, {
    timeoutMs: 60_000,
    intervalMs: 250,
  });
}

/** The invariant on every scope, and the share of each budget used before refusals. */
async function expectBudgetsHeld(world: BudgetWorld, t: Tally): Promise<void> {
  expect(t.unexpected).toEqual([]);
  const ledger = await ledgerView(stack.admin, world.orgId);
  for (const b of world.budgets) {
    const spent = await recordedSpend(stack.db, b);
    const limit = nano(b.limitUsd);
    const used = Number(nano(spent)) / Number(limit);
    console.log(`${b.scope} ${b.period} $${b.limitUsd}: recorded $${spent} (${(used * 100).toFixed(2)}%)`);
    // Hard: every call was bounded by max_tokens, so not one nano-dollar over.
    expect(nano(spent), `${b.scope} spend within its limit`).toBeLessThanOrEqual(limit);
    expect(used, `${b.scope}: at least 95% usable`).toBeGreaterThanOrEqual(0.95);
    // The control plane's ledger agrees with the records to the nano-dollar.
    const row = ledger.find((l) => l.scopeId === b.id && l.period === b.period);
    expect(row, `${b.scope} in the ledger`).toBeDefined();
    expect(nano(row!.spentUsd)).toBe(nano(spent));
  }
}

describe('hard budgets across three data planes', () => {
  it('holds every budget under 100 concurrent clients, streaming and not, and uses at least 95% of each', async () => {
    const world = await budgetWorld(stack.admin, 'budgets-steady');
    const t = newTally();
    await run(world, t);
    await settled(world, t);
    console.log(`steady run: ${t.calls} calls, ${t.ok} answered, ${t.refused} refused`);
    expect(t.ok).toBeGreaterThan(1_000);
    expect(t.budgetHeaderSeen).toBe(true);
    // Each budget was reached, and named in the refusals.
    for (const b of world.budgets) expect([...t.refusedScopes].some((s) => s.includes(b.id))).toBe(true);
    await expectBudgetsHeld(world, t);

    // The refusal as an app sees it: one 429 with the OpenAI error shape, not retried by the SDK's own retries.
    const before = await orgRecords(stack.db, world.orgId);
    const sdk = new OpenAI({ apiKey: world.keys[0].secret, baseURL: stack.dps[0].baseURL });
    const err = await sdk.chat.completions
      .create({ model: 'gpt-budget', messages: [{ role: 'user', content: 'one more' }], max_tokens: maxTokens })
      .then(() => null)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const apiErr = err as InstanceType<typeof OpenAI.APIError>;
    expect(apiErr.status).toBe(429);
    expect(apiErr.code).toBe('budget_exceeded');
    expect(apiErr.type).toBe('insufficient_quota');
    expect(apiErr.headers?.get('x-should-retry')).toBe('false');
    await waitFor('the refusal recorded once', async () => (await orgRecords(stack.db, world.orgId)) === before + 1);
  }, 240_000);

  it('holds them with the control plane killed and restarted mid-run', async () => {
    const world = await budgetWorld(stack.admin, 'budgets-outage');
    const t = newTally();
    const load = run(world, t);
    const org = world.budgets[0];
    // A third of the org's budget recorded: leases are out on every data plane.
    await waitFor(
      'a third of the budget spent',
      async () => nano(await recordedSpend(stack.db, org)) * 3n >= nano('1'),
      {
        timeoutMs: 60_000,
        intervalMs: 100,
      },
    );
    await stack.cp.process.kill();
    const okAtKill = t.ok;
    // The data planes keep serving from the leases they hold.
    await waitFor('calls served while the control plane is down', () => t.ok >= okAtKill + 200, {
      timeoutMs: 30_000,
    });
    await stack.cp.restart();
    await load;
    await settled(world, t);
    console.log(
      `outage run: ${t.calls} calls, ${t.ok} answered (${t.ok - okAtKill} after the kill), ${t.refused} refused, ` +
        `${t.unavailable} unavailable`,
    );
    await expectBudgetsHeld(world, t);
  }, 240_000);

  it('shares a requests-per-minute limit among the three data planes', async () => {
    const world = await budgetWorld(stack.admin, 'rpm-shared');
    const key = world.keys[2];
    await stack.admin(
      `mutation ($orgId: ID!, $scopeId: ID!) {
        setLimits(orgId: $orgId, scope: KEY, scopeId: $scopeId, input: { rpm: 30 }) { id }
      }`,
      { orgId: world.orgId, scopeId: key.id },
    );
    // The limit reaches every data plane with the config; until then a call is not limited.
    const { configState } = await stack.admin<{ configState: { version: number } }>('{ configState { version } }');
    for (const dp of stack.dps) {
      await waitFor(`${dp.nodeId} at config ${configState.version}`, async () => {
        const r = await dp.readyz();
        return ((r.body as { version?: number }).version ?? 0) >= configState.version;
      });
    }
    // 90 calls within the minute, 30 through each data plane: 30 in all may pass, 10 on each.
    const outcomes = await Promise.all(
      Array.from({ length: 90 }, async (_, i) => {
        const client = new OpenAI({ apiKey: key.secret, baseURL: stack.dps[i % 3].baseURL, maxRetries: 0 });
        try {
          await client.chat.completions.create({
            model: 'gpt-budget',
            messages: [{ role: 'user', content: `rate ${i}` }],
            max_tokens: maxTokens,
          });
          return 'ok';
        } catch (e) {
          if (e instanceof OpenAI.APIError && e.status === 429 && e.code === 'rate_limited') {
            expect(Number(e.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
            return 'limited';
          }
          return String(e);
        }
      }),
    );
    const ok = outcomes.filter((o) => o === 'ok').length;
    const limited = outcomes.filter((o) => o === 'limited').length;
    console.log(`rpm 30 across 3 data planes: ${ok} passed, ${limited} limited`);
    expect(ok + limited).toBe(90);
    expect(ok).toBeLessThanOrEqual(30);
    expect(ok).toBeGreaterThanOrEqual(27);
  }, 60_000);
});
