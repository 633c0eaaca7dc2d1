// Rate limits: the one-minute window, this data plane's share, requests counted at admission and tokens at meter,
// retry-after, and the x-ratelimit-* headers.
import { afterEach, describe, expect, it } from 'vitest';
import { chatBody, LimitHarness, limit, limitedSnapshot } from '../test-support/limits.ts';
import { RateWindow } from './rate-window.ts';

describe('RateWindow', () => {
  it('holds the last 60 seconds and forgets each second as it leaves the window', () => {
    const w = new RateWindow();
    w.add(100, 2);
    w.add(130, 1);
    w.add(159, 4);
    expect(w.total(159)).toBe(7);
    expect(w.total(160)).toBe(5);
    expect(w.total(189)).toBe(5);
    expect(w.total(190)).toBe(4);
    expect(w.total(219)).toBe(0);
    w.add(1000, 3);
    expect(w.total(1000)).toBe(3);
  });

  it('says how many whole seconds until it holds at most a target', () => {
    const w = new RateWindow();
    w.add(100, 2);
    w.add(130, 1);
    // At 140: second 100 leaves at 160 (20 s), second 130 at 190 (50 s).
    expect(w.secondsUntilAtMost(140, 3)).toBe(1);
    expect(w.secondsUntilAtMost(140, 2)).toBe(20);
    expect(w.secondsUntilAtMost(140, 1)).toBe(20);
    expect(w.secondsUntilAtMost(140, 0)).toBe(50);
    w.add(140, 5);
    expect(w.secondsUntilAtMost(140, 0)).toBe(60);
  });
});

let h: LimitHarness;
afterEach(() => h?.close());

describe('RateLimiter', () => {
  it('counts requests at admission and refuses the one over rpm, with retry-after and the limit headers', () => {
    h = new LimitHarness(limitedSnapshot(limit('l-key', 'key', 'key-good', { rpm: 3 })));
    for (let i = 0; i < 2; i++) expect(h.decide(h.request())).toMatchObject({ ok: true });
    h.mono += 30_000;
    expect(h.decide(h.request())).toMatchObject({ ok: true });
    h.mono += 10_000;
    const refused = h.decide(h.request());
    expect(refused).toEqual({
      ok: false,
      code: 'rate_limited',
      message: 'The rate limit of 3 requests per minute on key:key-good is reached; retry in 20 s.',
      param: null,
      headers: {
        'retry-after': '20',
        'x-ratelimit-limit-requests': '3',
        'x-ratelimit-remaining-requests': '0',
      },
    });
    h.mono += 20_000;
    expect(h.decide(h.request())).toMatchObject({ ok: true });
  });

  it('refuses on tokens once the window holds the tpm share, counting real tokens when requests finish', () => {
    h = new LimitHarness(limitedSnapshot(limit('l-team', 'team', 'team-1', { tpm: 100 })));
    const a = h.request();
    const b = h.request();
    expect(h.decide(a)).toMatchObject({ ok: true });
    expect(h.decide(b)).toMatchObject({ ok: true });
    h.finish(a, { inputTokens: 30, outputTokens: 30, cachedInputTokens: 0 });
    const headers: Record<string, string> = {};
    h.rates.addHeaders(a, headers);
    expect(headers).toEqual({ 'x-ratelimit-limit-tokens': '100', 'x-ratelimit-remaining-tokens': '40' });
    expect(h.decide(h.request())).toMatchObject({ ok: true });
    h.mono += 5000;
    h.finish(b, { inputTokens: 10, outputTokens: 30, cachedInputTokens: 0 });
    // 60 tokens leave with their second 55 s from now; then 40 remain, below the share.
    expect(h.decide(h.request())).toMatchObject({
      ok: false,
      code: 'rate_limited',
      headers: { 'retry-after': '55', 'x-ratelimit-remaining-tokens': '0' },
    });
    h.mono += 55_000;
    expect(h.decide(h.request())).toMatchObject({ ok: true });
  });

  it('counts every scope of the request and nothing when one of them refuses', () => {
    h = new LimitHarness(
      limitedSnapshot(limit('l-org', 'org', 'org-1', { rpm: 100 }), limit('l-user', 'user', 'user-1', { rpm: 1 })),
    );
    expect(h.decide(h.request())).toMatchObject({ ok: true });
    expect(h.decide(h.request())).toMatchObject({ ok: false, code: 'rate_limited' });
    const headers: Record<string, string> = {};
    h.rates.addHeaders(h.request(), headers);
    // The tightest scope (the user's) is shown; the org counted only the admitted request.
    expect(headers).toEqual({ 'x-ratelimit-limit-requests': '1', 'x-ratelimit-remaining-requests': '0' });
    const org: Record<string, string> = {};
    h.close();
    h = new LimitHarness(limitedSnapshot(limit('l-org', 'org', 'org-1', { rpm: 100 })));
    h.rates.addHeaders(h.request(), org);
    expect(org['x-ratelimit-remaining-requests']).toBe('100');
  });

  it.each([
    [1, 10, 10],
    [3, 10, 3],
    [4, 10, 2],
    [20, 10, 1],
  ])('shares a limit among %d data planes: %d per minute gives %d here', (planes, rpm, share) => {
    h = new LimitHarness(limitedSnapshot(limit('l-key', 'key', 'key-good', { rpm })));
    h.rates.dataPlanes = planes;
    for (let i = 0; i < share; i++) expect(h.decide(h.request())).toMatchObject({ ok: true });
    expect(h.decide(h.request())).toMatchObject({ ok: false, code: 'rate_limited' });
  });

  it('leaves requests of scopes without rate limits uncounted, and sweeps windows idle for a minute', () => {
    h = new LimitHarness(
      limitedSnapshot(
        limit('l-key', 'key', 'key-good', { rpm: 5 }),
        limit('l-team', 'team', 'team-1', { budgets: {} }),
      ),
    );
    const ctx = h.request(chatBody());
    expect(h.decide(ctx)).toMatchObject({ ok: true });
    expect(h.rates.size).toBe(1);
    h.rates.sweep();
    expect(h.rates.size).toBe(1);
    h.mono += 30_000;
    h.rates.sweep(); // at most once a minute: nothing happens
    h.mono += 31_000;
    h.rates.sweep();
    expect(h.rates.size).toBe(0);
  });
});
