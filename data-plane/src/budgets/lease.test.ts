// The arithmetic of one lease and the book of leases, the worst-case estimate, and dollar amounts as callers read them.
import type { LeaseGrant } from '@gw/schema';
import { describe, expect, it } from 'vitest';
import { formatUsd } from './describe.ts';
import { maxNano, worstCaseNano } from './estimate.ts';
import { Lease } from './lease.ts';
import { LeaseBook } from './lease-book.ts';

const grant = (over: Partial<LeaseGrant> = {}): LeaseGrant => ({
  limitId: 'lim-1',
  period: 'monthly',
  periodStart: '2026-01-01T00:00:00.000Z',
  resetsAt: '2026-02-01T00:00:00.000Z',
  granted: 1_000_000,
  limit: 10_000_000,
  spent: 0,
  available: 9_000_000,
  costFactorPpm: 1_000_000,
  ...over,
});

describe('Lease', () => {
  it('is granted − returned − held − settled, and a settle replaces the hold with the real cost', () => {
    const lease = new Lease('lim-1', 'monthly');
    lease.apply(grant(), 100, 0);
    expect(lease.balance).toBe(1_000_000);
    lease.hold(300_000, 300_000, 100);
    lease.hold(200_000, 200_000, 100);
    expect([lease.held, lease.balance]).toEqual([500_000, 500_000]);
    lease.settle(300_000, 120_000);
    expect([lease.held, lease.settled, lease.balance]).toEqual([200_000, 120_000, 680_000]);
    lease.returned += 80_000;
    expect(lease.balance).toBe(600_000);
  });

  it('lets a request overrun its hold: the overrun lowers the balance, below zero if need be', () => {
    const lease = new Lease('lim-1', 'monthly');
    lease.apply(grant({ granted: 100 }), 0, 0);
    lease.hold(60, 60, 0);
    lease.settle(60, 250);
    expect(lease.balance).toBe(-150);
  });

  it('charges holds and settled costs at the cost factor, rounding up', () => {
    const lease = new Lease('lim-1', 'monthly');
    lease.apply(grant({ granted: 10_000, costFactorPpm: 1_200_000 }), 0, 0);
    lease.hold(1001, 1202, 0);
    expect(lease.held).toBe(1202); // 1001 × 1.2 = 1201.2, rounded up
    // A factor that changes while a request runs cannot leave a remainder: holds are kept before the factor.
    lease.apply(grant({ granted: 10_000, costFactorPpm: 1_500_000 }), 1, 0);
    expect(lease.held).toBe(1502);
    lease.settle(1001, 1000);
    expect([lease.held, lease.settled]).toEqual([0, 1500]);
  });

  it('is usable once answered, until 80% of the ttl passed without renewal or its period ended', () => {
    const lease = new Lease('lim-1', 'monthly');
    const wall = Date.parse('2026-01-15T00:00:00.000Z');
    expect(lease.usable(0, wall, 24_000)).toBe(false);
    lease.apply(grant(), 1000, wall);
    expect(lease.usable(1000 + 23_999, wall, 24_000)).toBe(true);
    expect(lease.usable(1000 + 24_000, wall, 24_000)).toBe(false);
    const end = Date.parse('2026-02-01T00:00:00.000Z');
    expect(lease.usable(1001, end, 24_000)).toBe(false);
    // Answered for after its end by this clock: the control plane's clock says it is still current.
    lease.apply(grant(), 2000, end + 50);
    expect(lease.usable(2001, end + 100, 24_000)).toBe(true);
    const total = new Lease('lim-1', 'total');
    total.apply(grant({ period: 'total', periodStart: '1970-01-01T00:00:00.000Z', resetsAt: null }), 0, 0);
    expect(total.resetsAtMs).toBe(Number.POSITIVE_INFINITY);
    expect(total.usable(1, Date.parse('2999-01-01T00:00:00.000Z'), 24_000)).toBe(true);
  });

  it('sizes refills from the spend of the last seconds, at least four times the largest recent worst case', () => {
    const lease = new Lease('lim-1', 'monthly');
    lease.apply(grant(), 0, 0);
    expect(lease.refillTarget(10_000)).toBe(0);
    expect(lease.refillTarget(10_000, 500)).toBe(2000);
    for (let i = 0; i < 10; i++) lease.hold(100, 100, 10_000 + i * 100);
    lease.hold(300, 300, 11_500);
    // spend 1,300 in the window: 2× = 2,600 > 4 × 300.
    expect(lease.refillTarget(11_600)).toBe(2600);
    // Five seconds later the window has forgotten it.
    expect(lease.refillTarget(17_000)).toBe(0);
  });
});

describe('LeaseBook', () => {
  it('keeps one lease per budget and period, replaced on a new period and dropped when gone', () => {
    const book = new LeaseBook();
    const a = book.ensure('lim-1', 'daily');
    expect(book.ensure('lim-1', 'daily')).toBe(a);
    book.ensure('lim-1', 'total');
    book.ensure('lim-2', 'daily');
    expect(book.size).toBe(3);
    const next = new Lease('lim-1', 'daily');
    book.replace(next);
    expect(book.get('lim-1', 'daily')).toBe(next);
    expect(book.size).toBe(3);
    book.drop('lim-1', 'daily');
    book.drop('lim-1', 'daily');
    expect(book.get('lim-1', 'daily')).toBeNull();
    expect([...book].map((l) => `${l.limitId} ${l.period}`)).toEqual(['lim-1 total', 'lim-2 daily']);
    expect(book.size).toBe(2);
  });
});

describe('worstCaseNano', () => {
  const pico = { input: 1_000_000, output: 2_000_000, cachedInput: 500_000 }; // $1 / $2 / $0.5 per million

  it.each([
    ['max_completion_tokens first', { max_completion_tokens: 10, max_tokens: 99 }, 100, 100 * 1000 + 10 * 2000],
    ['then max_tokens', { max_tokens: 99 }, 100, 100 * 1000 + 99 * 2000],
    ['then the default', {}, 100, 100 * 1000 + 16_384 * 2000],
    ['times n', { max_tokens: 10, n: 3 }, 100, 100 * 1000 + 30 * 2000],
    [
      'null fields read as absent',
      { max_tokens: null, max_completion_tokens: null, n: null },
      10,
      10_000 + 16_384 * 2000,
    ],
  ])('%s', (_name, body, bytes, expected) => {
    expect(worstCaseNano(bytes, body, pico, 16_384)).toBe(expected);
  });

  it('never exceeds the largest budget there can be', () => {
    expect(worstCaseNano(10, { max_tokens: Number.MAX_SAFE_INTEGER }, pico, 16_384)).toBe(maxNano);
  });
});

describe('formatUsd', () => {
  it.each([
    [0, '0.00'],
    [731_200_000, '0.7312'],
    [10_000_000_000, '10.00'],
    [1, '0.000000001'],
    [1_500_000_000, '1.50'],
    [-250_000_000, '-0.25'],
  ])('%d nano-dollars read %s', (nano, text) => {
    expect(formatUsd(nano)).toBe(text);
  });
});
