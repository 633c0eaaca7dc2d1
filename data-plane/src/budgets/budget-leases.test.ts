// Budget leases through the pipeline's decide, against a fake ledger (the injected lease function): holds and
// settlement, waiting and coalescing, the negative cache, fail-open and fail-closed, expiry, idle return, new periods,
// background renewals, heartbeats, shutdown and the budget headers.
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../policy/authenticate.ts';
import type { Decision } from '../policy/decision.ts';
import { chatBody, february, january, LimitHarness, limit, limitedSnapshot, worstOf } from '../test-support/limits.ts';
import { sampleSnapshot, secrets, storeOf } from '../test-support/snapshots.ts';

const usd = 1_000_000_000;
const teamMonthly = (amount = 10 * usd) => limit('lim-team', 'team', 'team-1', { budgets: { monthly: amount } });
const body = chatBody(100);
const worst = worstOf(body);

let h: LimitHarness;
afterEach(() => h?.close());

/** A harness whose ledger gives team-1 a monthly budget of `amount`. */
function teamBudget(amount = 10 * usd, options = {}): LimitHarness {
  h = new LimitHarness(limitedSnapshot(teamMonthly(amount)), options);
  h.ledger.budget('lim-team', 'monthly', amount, january.periodStart, january.resetsAt);
  return h;
}

const isPromise = (d: Decision | Promise<Decision>): d is Promise<Decision> => d instanceof Promise;

describe('without limits', () => {
  it('costs a request nothing: no limits found, a synchronous allow, nothing held', () => {
    h = new LimitHarness(sampleSnapshot());
    const ctx = h.request();
    expect(h.store.hasLimits).toBe(false);
    expect(ctx.limits).toBeNull();
    expect(h.decide(ctx)).toMatchObject({ ok: true });
    expect(ctx.budgetLeases).toBeNull();
    expect(h.ledger.calls).toEqual([]);
  });

  it('finds only the scopes that have limits, and none for an org without any', () => {
    h = new LimitHarness(
      limitedSnapshot(
        limit('l-org', 'org', 'org-1', { rpm: 5 }),
        limit('l-user', 'user', 'user-1', { budgets: { daily: 5 } }),
        limit('l-key', 'key', 'key-good', { tpm: 9 }),
        limit('l-mod', 'module', 'mod-chat', { budgets: { total: 5 } }),
        limit('l-team2', 'team', 'team-2', { rpm: 1 }),
      ),
    );
    expect(h.request(chatBody(), secrets.good).limits?.map((l) => l.id)).toEqual(['l-org', 'l-user', 'l-key']);
    expect(h.request(chatBody(), secrets.chat).limits?.map((l) => l.id)).toEqual(['l-org', 'l-user', 'l-mod']);
    expect(h.request(chatBody(), secrets.good, 'chat').limits?.map((l) => l.id)).toEqual([
      'l-org',
      'l-user',
      'l-key',
      'l-mod',
    ]);
    // Found once per key (and module) in a store: requests share the array.
    expect(h.request().limits).toBe(h.request().limits);
    // A new store (a snapshot changed the limits) finds them anew.
    const next = limitedSnapshot(limit('l-team', 'team', 'team-1', { rpm: 3 }));
    h.stores.swap(storeOf(next, 2, h.store));
    expect(h.request().limits?.map((l) => [l.id, l.rpm, l.periods])).toEqual([['l-team', 3, []]]);
  });
});

describe('reserve and settle', () => {
  it('waits for one lease call the first time, then holds synchronously without calling again', async () => {
    teamBudget();
    const first = h.request();
    const d = h.decide(first);
    expect(isPromise(d)).toBe(true);
    expect(await d).toMatchObject({ ok: true });
    expect(h.ledger.calls).toHaveLength(1);
    const [ask] = h.ledger.calls[0].asks;
    expect(ask).toMatchObject({ limitId: 'lim-team', period: 'monthly', periodStart: null, need: worst, returned: 0 });
    expect(ask.want).toBeGreaterThanOrEqual(5 * worst);
    expect(h.ledger.calls[0]).toMatchObject({ nodeId: 'node-1', bootId: h.bootId });

    const second = h.request();
    expect(h.decide(second)).toMatchObject({ ok: true });
    expect(h.ledger.calls).toHaveLength(1);
    const lease = h.lease('lim-team', 'monthly')!;
    expect(lease.held).toBe(2 * worst);
    expect(second.budgetLeases).toEqual([lease]);
  });

  it('replaces the hold with the real cost at meter, exactly once', async () => {
    teamBudget();
    const ctx = h.request();
    await h.decide(ctx);
    const lease = h.lease('lim-team', 'monthly')!;
    const before = lease.balance + worst;
    h.finish(ctx, { inputTokens: 10, outputTokens: 20, cachedInputTokens: 0 });
    h.finish(ctx, { inputTokens: 10, outputTokens: 20, cachedInputTokens: 0 });
    expect(lease.held).toBe(0);
    expect(lease.settled).toBe(10 * 1000 + 20 * 2000);
    expect(lease.balance).toBe(before - 50_000);
  });

  it('releases the hold of a request refused after it (rate limited) or that cost nothing', async () => {
    h = new LimitHarness(
      limitedSnapshot(limit('lim-team', 'team', 'team-1', { budgets: { monthly: 10 * usd }, rpm: 1 })),
    );
    h.ledger.budget('lim-team', 'monthly', 10 * usd, january.periodStart, january.resetsAt);
    const a = h.request();
    expect(await h.decide(a)).toMatchObject({ ok: true });
    const b = h.request();
    expect(h.decide(b)).toMatchObject({ ok: false, code: 'rate_limited' });
    const lease = h.lease('lim-team', 'monthly')!;
    expect(lease.held).toBe(2 * worst);
    h.finish(b, null);
    h.finish(a, null);
    expect([lease.held, lease.settled]).toEqual([0, 0]);
  });

  it('holds the worst case of n choices and of a request without max_tokens', async () => {
    teamBudget();
    const many = chatBody(50, { n: 4 });
    const ctx = h.request(many);
    await h.decide(ctx);
    expect(ctx.budgetHeld).toBe(Buffer.byteLength(JSON.stringify(many)) * 1000 + 200 * 2000);
    const open = chatBody(null);
    const ctx2 = h.request(open);
    await h.decide(ctx2);
    expect(ctx2.budgetHeld).toBe(Buffer.byteLength(JSON.stringify(open)) * 1000 + 16_384 * 2000);
  });

  it('holds on every budget of every scope, and refuses when one of them is spent', async () => {
    h = new LimitHarness(
      limitedSnapshot(
        limit('l-org', 'org', 'org-1', { budgets: { monthly: 10 * usd, total: 100 * usd } }),
        limit('l-key', 'key', 'key-good', { budgets: { daily: worst } }),
      ),
    );
    h.ledger.budget('l-org', 'monthly', 10 * usd, january.periodStart, january.resetsAt);
    h.ledger.budget('l-org', 'total', 100 * usd, '1970-01-01T00:00:00.000Z', null);
    h.ledger.budget('l-key', 'daily', worst, '2026-01-15T00:00:00.000Z', '2026-01-16T00:00:00.000Z');
    const a = h.request();
    expect(await h.decide(a)).toMatchObject({ ok: true });
    expect(a.budgetLeases?.map((l) => `${l.limitId} ${l.period}`)).toEqual([
      'l-org monthly',
      'l-org total',
      'l-key daily',
    ]);
    const b = h.request();
    expect(await h.decide(b)).toEqual({
      ok: false,
      code: 'budget_exceeded',
      message: `key 'sk-gw-good00' (key:key-good) daily budget of $${formatted(worst)} is spent; it resets at 2026-01-16T00:00:00.000Z`,
      param: null,
    });
    // Nothing was held for the refused request.
    expect(h.lease('l-org', 'monthly')!.held).toBe(worst);
  });
});

describe('requests without an output bound', () => {
  it('are admitted holding what is left once their full worst case no longer fits, down to a floor', async () => {
    const unbounded = chatBody(null);
    const full = worstOf(unbounded);
    // The floor: the same input, 256 output tokens.
    const floor = full - 16_384 * 2000 + 256 * 2000;
    // What is left covers a tenth of the full worst case, far more than the floor.
    teamBudget(Math.floor(full / 10));
    const bounded = await h.decide(h.request(chatBody(16_384)));
    expect(bounded).toMatchObject({ ok: false, code: 'budget_exceeded' });
    const ctx = h.request(unbounded);
    expect(await h.decide(ctx)).toMatchObject({ ok: true });
    expect(ctx.budgetHeld).toBe(Math.floor(full / 10));
    expect(ctx.budgetHeld).toBeLessThan(full);
    expect(ctx.budgetHeld).toBeGreaterThanOrEqual(floor);
    // Nothing is left to hold now: the next one is refused.
    expect(await h.decide(h.request(unbounded))).toMatchObject({ ok: false, code: 'budget_exceeded' });
    // Its real cost settles as usual; what was not spent is free again for the next one.
    h.budgets.settle(ctx, 1000);
    expect(await h.decide(h.request(unbounded))).toMatchObject({ ok: true });
  });

  it('are refused when what is left is below their floor', async () => {
    const unbounded = chatBody(null);
    const floor = worstOf(unbounded) - 16_384 * 2000 + 256 * 2000;
    teamBudget(floor - 1);
    expect(await h.decide(h.request(unbounded))).toMatchObject({ ok: false, code: 'budget_exceeded' });
  });
});

describe('waiting for a lease call', () => {
  it('coalesces 100 concurrent requests into one lease call', async () => {
    teamBudget();
    const ctxs = Array.from({ length: 100 }, () => h.request());
    const decisions = ctxs.map((ctx) => h.decide(ctx));
    expect(decisions.every(isPromise)).toBe(true);
    expect((await Promise.all(decisions)).every((d) => d.ok)).toBe(true);
    expect(h.ledger.calls).toHaveLength(1);
    expect(h.ledger.calls[0].asks).toHaveLength(1);
    expect(h.ledger.calls[0].asks[0].need).toBe(worst);
    expect(h.ledger.calls[0].asks[0].want).toBeGreaterThanOrEqual(100 * worst);
    expect(h.lease('lim-team', 'monthly')!.held).toBe(100 * worst);
  });

  it('refuses a spent budget with its scope, amount and reset, and then answers from the negative cache for 1 s', async () => {
    teamBudget(worst - 1);
    const first = h.request();
    expect(await h.decide(first)).toEqual({
      ok: false,
      code: 'budget_exceeded',
      message: `team 'Core' (team:team-1) monthly budget of $${formatted(worst - 1)} is spent; it resets at ${january.resetsAt}`,
      param: null,
    });
    expect(h.ledger.calls).toHaveLength(1);
    // 100 clients retrying at once: refused at once, no call.
    const again = Array.from({ length: 100 }, () => h.decide(h.request()));
    expect(again.some(isPromise)).toBe(false);
    expect(again.every((d) => !isPromise(d) && d.ok === false && d.code === 'budget_exceeded')).toBe(true);
    expect(h.ledger.calls).toHaveLength(1);
    // A smaller request is not refused by the cache: it may fit what is left.
    const small = chatBody(1);
    const fits = await h.decide(h.request(small));
    expect(fits).toMatchObject({ ok: true });
    // A second later the control plane is asked again.
    h.mono += 1001;
    expect(isPromise(h.decide(h.request()))).toBe(true);
  });

  it('serves waiters a thin grant left out in a second call asking for what they need together, then refuses', async () => {
    // What is left of the budget covers 10 of 20 requests waiting at once; the first grant is half of it.
    teamBudget(10 * worst);
    const decisions = await Promise.all(Array.from({ length: 20 }, () => h.decide(h.request())));
    expect(decisions.filter((d) => d.ok)).toHaveLength(10);
    expect(decisions.filter((d) => !d.ok && d.code === 'budget_exceeded')).toHaveLength(10);
    expect(h.ledger.calls.map((c) => c.asks[0].need)).toEqual([worst, 15 * worst]);
    expect(h.lease('lim-team', 'monthly')!.held).toBe(10 * worst);
  });

  it('names at most maxLeaseItems leases per call: waiters that do not fit go in the next call', async () => {
    const keys = 600;
    const snapshot = sampleSnapshot();
    const budgets = { daily: usd, weekly: usd, monthly: usd, total: usd };
    snapshot.limits = {};
    for (let i = 0; i < keys; i++) {
      const secret = `sk-gw-many${String(i).padStart(36, '0')}`;
      snapshot.keys[`key-${i}`] = { ...snapshot.keys['key-good'], id: `key-${i}`, hash: hashApiKey(secret) };
      snapshot.limits[`lim-${i}`] = limit(`lim-${i}`, 'key', `key-${i}`, { budgets });
    }
    h = new LimitHarness(snapshot);
    for (let i = 0; i < keys; i++) {
      for (const period of ['daily', 'weekly', 'monthly', 'total'] as const) {
        h.ledger.budget(`lim-${i}`, period, usd, january.periodStart, period === 'total' ? null : january.resetsAt);
      }
    }
    const decisions = Array.from({ length: keys }, (_, i) =>
      h.decide(h.request(body, `sk-gw-many${String(i).padStart(36, '0')}`)),
    );
    expect((await Promise.all(decisions)).every((d) => d.ok)).toBe(true);
    expect(h.ledger.calls.map((c) => c.asks.length)).toEqual([2000, 400]);
  });

  it('is bounded: a control plane that does not answer in time is unavailable', async () => {
    teamBudget(10 * usd, { waitMs: 30 });
    h.ledger.gate = new Promise(() => {});
    const started = performance.now();
    expect(await h.decide(h.request())).toMatchObject({ ok: false, code: 'budget_unavailable' });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('when budgets cannot be checked', () => {
  it('refuses in a fail-closed org (the default) while the control plane is unreachable, without waiting again', async () => {
    teamBudget();
    h.ledger.failing = true;
    expect(await h.decide(h.request())).toEqual({
      ok: false,
      code: 'budget_unavailable',
      message:
        'The budgets of this request cannot be checked right now (the control plane is unreachable); retry shortly.',
      param: null,
    });
    // The failure is remembered for a moment: the next request is answered at once.
    expect(h.decide(h.request())).toMatchObject({ ok: false, code: 'budget_unavailable' });
    expect(h.ledger.calls).toHaveLength(1);
  });

  it('serves a fail-open org, marks the request unchecked, warns once a minute, and still counts its cost', async () => {
    const s = limitedSnapshot(teamMonthly());
    s.orgs['org-1'].budgetFailOpen = true;
    h = new LimitHarness(s);
    h.ledger.budget('lim-team', 'monthly', 10 * usd, january.periodStart, january.resetsAt);
    const served = h.request();
    await h.decide(served);
    h.finish(served, { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 });
    h.ledger.failing = true;
    h.mono += 30_000; // the lease expired meanwhile (0.8 × 30 s)
    const a = h.request();
    expect(await h.decide(a)).toMatchObject({ ok: true });
    expect(a.budgetUnchecked).toBe(true);
    const b = h.request();
    expect(h.decide(b)).toMatchObject({ ok: true });
    expect(b.budgetUnchecked).toBe(true);
    const lease = h.lease('lim-team', 'monthly')!;
    h.finish(a, { inputTokens: 100, outputTokens: 0, cachedInputTokens: 0 });
    expect(lease.settled).toBe(3000 + 100_000);
    const warnings = () => h.logs.filter((l) => l.includes('without checking their budgets'));
    expect(warnings()).toHaveLength(1);
    h.mono += 61_000;
    await h.decide(h.request());
    expect(warnings()).toHaveLength(2);
  });

  it('does not use a lease that was not renewed within 0.8 × its ttl', async () => {
    teamBudget();
    await h.decide(h.request());
    h.ledger.failing = true;
    h.mono += 0.8 * h.ledger.ttlMs - 1;
    expect(h.decide(h.request())).toMatchObject({ ok: true });
    h.mono += 1;
    expect(await h.decide(h.request())).toMatchObject({ ok: false, code: 'budget_unavailable' });
  });
});

describe('in the background', () => {
  it('does nothing without leases', async () => {
    teamBudget();
    await h.budgets.calls.tick();
    expect(h.ledger.calls).toEqual([]);
  });

  it('renews a lease after a third of its ttl, and refills one whose balance fell below its refill mark', async () => {
    teamBudget();
    h.ledger.ttlMs = 15_000;
    await h.decide(h.request());
    await h.budgets.calls.tick();
    expect(h.ledger.calls).toHaveLength(1);
    h.mono += 5001;
    await h.budgets.calls.tick();
    expect(h.ledger.calls).toHaveLength(2);
    expect(h.ledger.calls[1].asks).toEqual([
      expect.objectContaining({ limitId: 'lim-team', periodStart: january.periodStart, need: 0 }),
    ]);
    // A burst spends most of the balance: the next pass asks for about twice the recent spend.
    const lease = h.lease('lim-team', 'monthly')!;
    const burst = Math.floor(lease.balance / worst);
    for (let i = 0; i < burst; i++) expect(h.decide(h.request())).toMatchObject({ ok: true });
    await h.budgets.calls.tick();
    const refill = h.ledger.calls.at(-1)!.asks[0];
    expect(refill.want).toBeGreaterThan(burst * worst);
    expect(lease.balance).toBeGreaterThanOrEqual(burst * worst);
  });

  it('gives an idle lease back, keeps it for its cumulative amounts, and asks again when it is used', async () => {
    teamBudget();
    const ctx = h.request();
    await h.decide(ctx);
    h.finish(ctx, { inputTokens: 5, outputTokens: 5, cachedInputTokens: 0 });
    const lease = h.lease('lim-team', 'monthly')!;
    const balance = lease.balance;
    h.mono += 10_001;
    await h.budgets.calls.tick();
    expect(h.ledger.calls.at(-1)!.asks).toEqual([
      expect.objectContaining({ limitId: 'lim-team', returned: balance, want: 0, need: 0 }),
    ]);
    expect(lease.balance).toBe(0);
    expect(h.ledger.held('lim-team', 'monthly', h.bootId).returned).toBe(balance);
    // Nothing more while it is idle, and the timer sleeps.
    const calls = h.ledger.calls.length;
    expect(h.budgets.calls.ticking).toBe(true);
    h.mono += 5000;
    await h.budgets.calls.tick();
    expect(h.ledger.calls).toHaveLength(calls);
    expect(h.budgets.calls.ticking).toBe(false);
    // Used again: one call, its cumulative returned carried, and the timer runs again.
    expect(await h.decide(h.request())).toMatchObject({ ok: true });
    expect(h.ledger.calls.at(-1)!.asks[0]).toMatchObject({ returned: balance, periodStart: january.periodStart });
    expect(h.budgets.calls.ticking).toBe(true);
  });

  it('moves to the new period when resetsAt passes; requests admitted before settle on the old lease', async () => {
    teamBudget();
    const before = h.request();
    await h.decide(before);
    const old = h.lease('lim-team', 'monthly')!;
    h.wall = Date.parse(january.resetsAt);
    h.ledger.budget('lim-team', 'monthly', 10 * usd, february.periodStart, february.resetsAt);
    const after = h.request();
    expect(await h.decide(after)).toMatchObject({ ok: true });
    expect(h.ledger.calls.at(-1)!.asks[0]).toMatchObject({ periodStart: january.periodStart });
    const current = h.lease('lim-team', 'monthly')!;
    expect(current).not.toBe(old);
    expect([current.periodStart, current.resetsAt, current.held]).toEqual([
      february.periodStart,
      february.resetsAt,
      worst,
    ]);
    h.finish(before, { inputTokens: 1, outputTokens: 0, cachedInputTokens: 0 });
    expect([old.held, old.settled]).toEqual([0, 1000]);
    expect([current.held, current.settled]).toEqual([worst, 0]);
  });

  it('asks for the new period of a lease in use when its period ended', async () => {
    teamBudget();
    await h.decide(h.request());
    h.wall = Date.parse(january.resetsAt) + 1;
    h.ledger.budget('lim-team', 'monthly', 10 * usd, february.periodStart, february.resetsAt);
    await h.budgets.calls.tick();
    expect(h.ledger.calls.at(-1)!.asks[0]).toMatchObject({ periodStart: january.periodStart });
    expect(h.lease('lim-team', 'monthly')!.periodStart).toBe(february.periodStart);
  });

  it('drops a lease the control plane says is gone', async () => {
    teamBudget();
    await h.decide(h.request());
    h.ledger.remove('lim-team', 'monthly');
    h.mono += 10_001;
    await h.budgets.calls.tick();
    expect(h.lease('lim-team', 'monthly')).toBeNull();
    // Until the snapshot catches up, requests are not held back for a budget that no longer exists.
    const calls = h.ledger.calls.length;
    const ctx = h.request();
    expect(h.decide(ctx)).toMatchObject({ ok: true });
    expect(ctx.budgetLeases).toEqual([]);
    expect(h.ledger.calls).toHaveLength(calls);
    // The budget set again: it is asked for again.
    h.mono += 60_000;
    h.ledger.budget('lim-team', 'monthly', 10 * usd, january.periodStart, january.resetsAt);
    expect(await h.decide(h.request())).toMatchObject({ ok: true });
    expect(h.lease('lim-team', 'monthly')?.held).toBe(worst);
  });

  it('sends heartbeats while the snapshot has rate limits, and shares them among the data planes it learns of', async () => {
    h = new LimitHarness(limitedSnapshot(limit('l-key', 'key', 'key-good', { rpm: 10 })));
    h.ledger.dataPlanes = 3;
    await h.budgets.calls.tick();
    expect(h.ledger.calls).toEqual([{ nodeId: 'node-1', bootId: h.bootId, asks: [] }]);
    expect(h.rates.dataPlanes).toBe(3);
    expect(h.rates.share(10)).toBe(3);
    await h.budgets.calls.tick();
    expect(h.ledger.calls).toHaveLength(1);
    h.mono += 10_000;
    await h.budgets.calls.tick();
    expect(h.ledger.calls).toHaveLength(2);
  });

  it('believes a lower count of data planes only after calling for a whole ttl (the others may have been silent too)', async () => {
    h = new LimitHarness(limitedSnapshot(limit('l-key', 'key', 'key-good', { rpm: 10 })));
    h.ledger.dataPlanes = 3;
    await h.budgets.calls.tick();
    expect(h.rates.dataPlanes).toBe(3);
    h.ledger.dataPlanes = 2;
    for (let i = 0; i < 3; i++) {
      h.mono += 10_000;
      await h.budgets.calls.tick();
    }
    // 30 s of heartbeats (the ttl) since the first: a data plane has gone.
    expect(h.rates.dataPlanes).toBe(2);
    // After a silence the count starts again: higher counts at once, lower ones after a ttl.
    h.mono += 60_000;
    h.ledger.dataPlanes = 1;
    await h.budgets.calls.tick();
    expect(h.rates.dataPlanes).toBe(2);
    h.ledger.dataPlanes = 4;
    h.mono += 10_000;
    await h.budgets.calls.tick();
    expect(h.rates.dataPlanes).toBe(4);
  });

  it('gives every balance back on shutdown', async () => {
    teamBudget();
    const ctx = h.request();
    await h.decide(ctx);
    h.finish(ctx, { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 });
    const lease = h.lease('lim-team', 'monthly')!;
    const balance = lease.balance;
    await h.budgets.calls.returnAll();
    expect(h.ledger.calls.at(-1)!.asks).toEqual([expect.objectContaining({ returned: balance, want: 0 })]);
    expect(lease.balance).toBe(0);
  });
});

describe('headers', () => {
  it('name the tightest budget: what is left of it, its reset and its scope', async () => {
    h = new LimitHarness(
      limitedSnapshot(
        limit('l-org', 'org', 'org-1', { budgets: { monthly: 10 * usd } }),
        limit('l-key', 'key', 'key-good', { budgets: { total: 2 * usd } }),
      ),
    );
    h.ledger.budget('l-org', 'monthly', 10 * usd, january.periodStart, january.resetsAt);
    h.ledger.budget('l-key', 'total', 2 * usd, '1970-01-01T00:00:00.000Z', null);
    const ctx = h.request();
    await h.decide(ctx);
    const headers: Record<string, string> = {};
    h.budgets.addHeaders(ctx, headers);
    expect(headers).toEqual({
      'x-gateway-budget-remaining-usd': formatted(2 * usd - worst),
      'x-gateway-budget-scope': 'key:key-good',
    });
    h.ledger.spend('l-org', 'monthly', 9 * usd);
    h.mono += 10_001;
    await h.budgets.calls.tick();
    const after: Record<string, string> = {};
    h.budgets.addHeaders(ctx, after);
    expect(after['x-gateway-budget-scope']).toBe('org:org-1');
    expect(after['x-gateway-budget-reset']).toBe(january.resetsAt);
  });
});

/** What formatUsd shows for an amount (at least two decimals, no trailing zeros beyond). */
function formatted(nano: number): string {
  const [whole, fraction] = (nano / usd).toFixed(9).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}.${trimmed.length < 2 ? trimmed.padEnd(2, '0') : trimmed}`;
}
