// Budgets and rate limits as a caller sees them over HTTP: the app in process with a fake provider and a fake ledger
// behind the lease function. A budget runs out (429 insufficient_quota), an unreachable control plane (503), the
// budget and rate-limit headers on answers and streams, and usage records priced in whole nano-dollars.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeLedger } from '../test-support/fake-ledger.ts';
import { type FakeUpstream, startFakeUpstream } from '../test-support/fake-upstream.ts';
import { startGateway, type TestGateway } from '../test-support/gateway.ts';
import { limit, limitedSnapshotAt } from '../test-support/limits.ts';
import { secrets } from '../test-support/snapshots.ts';
import { formatUsd } from './describe.ts';

const messages = [{ role: 'user', content: 'hello there' }];
const body = JSON.stringify({ model: 'gpt-test', messages, max_tokens: 10 });
/** Worst case held per request: every body byte an input token ($1 per million), 10 output tokens ($2 per million). */
const worst = Buffer.byteLength(body) * 1000 + 10 * 2000;
/** What the fake provider's answer costs: 2 input and 5 output tokens. */
const actual = 2 * 1000 + 5 * 2000;
/** The current period (this test runs on the real clock). */
const day = 86_400_000;
const period = {
  periodStart: new Date(Date.now() - day).toISOString(),
  resetsAt: new Date(Date.now() + 30 * day).toISOString(),
};

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(async () => {
  await upstream.close();
});

function post(gw: TestGateway, text = body, secret: string = secrets.good): Promise<Response> {
  return fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: text,
  });
}

/** Usage records are written as the answer is finished; give the event loop a turn. */
const settled = () => new Promise((r) => setTimeout(r, 20));

describe('a team budget', () => {
  let gw: TestGateway;
  let ledger: FakeLedger;
  /** Enough for three requests held at their worst case and settled at their real cost, not for a fourth. */
  const budget = worst + 2 * actual;

  beforeAll(async () => {
    ledger = new FakeLedger();
    ledger.budget('lim-team', 'monthly', budget, period.periodStart, period.resetsAt);
    const snapshot = limitedSnapshotAt(
      upstream.url,
      limit('lim-team', 'team', 'team-1', { budgets: { monthly: budget } }),
    );
    // The background pass runs every millisecond: what callers see must not depend on when it runs.
    gw = await startGateway(snapshot, { lease: ledger.lease, budgets: { tickMs: 1 } });
  });
  afterAll(async () => {
    await gw.close();
  });
  afterEach(() => {
    expect(gw.unhandled).toEqual([]);
    expect(gw.errorLogs()).toEqual([]);
  });

  it('serves until it is spent, then answers 429 insufficient_quota naming the scope, with the budget headers', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post(gw);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      expect(res.headers.get('x-gateway-budget-scope')).toBe('team:team-1');
      expect(res.headers.get('x-gateway-budget-reset')).toBe(period.resetsAt);
      remaining.push(res.headers.get('x-gateway-budget-remaining-usd') as string);
    }
    // After each answer: the grant (all of the budget) less what was spent.
    expect(remaining).toEqual([1, 2, 3].map((n) => formatUsd(budget - n * actual)));

    const refused = await post(gw);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(refused.headers.get('x-gateway-budget-scope')).toBe('team:team-1');
    expect(await refused.json()).toEqual({
      error: {
        message: `team 'Core' (team:team-1) monthly budget of $${formatUsd(budget)} is spent; it resets at ${period.resetsAt}`,
        type: 'insufficient_quota',
        code: 'budget_exceeded',
        param: null,
      },
    });
    await settled();
    expect(gw.usage.at(-1)).toMatchObject({ status: 429, errorCode: 'budget_exceeded', costUsd: 0 });
    // The ledger granted exactly the budget to this data plane, no more.
    expect(ledger.held('lim-team', 'monthly', gw.deps.bootId).granted).toBe(budget);
  });

  it('records every request in whole nano-dollars, with this boot', async () => {
    const ok = gw.usage.filter((r) => r.status === 200);
    expect(ok).toHaveLength(3);
    for (const record of ok) {
      expect(record.costUsd).toBe(actual / 1e9);
      expect(record.bootId).toBe(gw.deps.bootId);
      expect(record).not.toHaveProperty('budgetUnchecked');
    }
  });

  it('lets a smaller request through what is left', async () => {
    const small = JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 });
    const res = await post(gw, small);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });
});

describe('an unreachable control plane', () => {
  it('refuses the requests of a fail-closed org with 503 budget_unavailable', async () => {
    const ledger = new FakeLedger();
    ledger.failing = true;
    const gw = await startGateway(
      limitedSnapshotAt(upstream.url, limit('lim-org', 'org', 'org-1', { budgets: { daily: 1_000_000_000 } })),
      { lease: ledger.lease },
    );
    try {
      const res = await post(gw);
      expect(res.status).toBe(503);
      expect(res.headers.get('x-should-retry')).toBe('true');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('budget_unavailable');
    } finally {
      await gw.close();
    }
  });

  it('serves a fail-open org and marks its usage records unchecked', async () => {
    const ledger = new FakeLedger();
    ledger.failing = true;
    const snapshot = limitedSnapshotAt(
      upstream.url,
      limit('lim-org', 'org', 'org-1', { budgets: { daily: 1_000_000_000 } }),
    );
    snapshot.orgs['org-1'].budgetFailOpen = true;
    const gw = await startGateway(snapshot, { lease: ledger.lease });
    try {
      const res = await post(gw);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      // No lease was ever granted: nothing to say about the budget.
      expect(res.headers.get('x-gateway-budget-remaining-usd')).toBeNull();
      await settled();
      expect(gw.usage.at(-1)).toMatchObject({ status: 200, budgetUnchecked: true });
    } finally {
      await gw.close();
    }
  });
});

describe('a rate limit', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway(
      limitedSnapshotAt(upstream.url, limit('lim-key', 'key', 'key-good', { rpm: 2, tpm: 1000 })),
    );
  });
  afterAll(async () => {
    await gw.close();
  });

  it('tells callers what is left, on answers and streams, and refuses the request over it with retry-after', async () => {
    const first = await post(gw);
    await first.arrayBuffer();
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('1000');
    // Counted at meter, before the answer was written: 2 input + 5 output tokens.
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe('993');
    // No budget on this key: no budget headers.
    expect(first.headers.get('x-gateway-budget-scope')).toBeNull();

    const stream = await post(gw, JSON.stringify({ model: 'gpt-test', messages, stream: true }));
    expect(stream.status).toBe(200);
    expect(stream.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    await stream.text();

    const refused = await post(gw);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('true');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const error = ((await refused.json()) as { error: Record<string, unknown> }).error;
    expect(error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited', param: null });
  });

  it('adds nothing to the answers of keys without limits', async () => {
    const res = await post(gw, body, secrets.limited);
    await res.arrayBuffer();
    expect([...res.headers.keys()].filter((h) => h.startsWith('x-ratelimit') || h.startsWith('x-gateway'))).toEqual([]);
  });
});
