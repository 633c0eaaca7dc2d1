import { describe, expect, it } from 'vitest';
import { barShares, budgetLevel, formatUsedPercent, resetText, sortedBudgets, tightestBudget } from './budget-view';

describe('budget views', () => {
  it.each([
    [0, '0 %'],
    [0.04, '< 0.1 %'],
    [4.26, '4.3 %'],
    [42.9, '42 %'],
    [99.96, '99.9 %'],
    [100, '100 %'],
    [104.2, '104 %'],
  ])('%d %% reads %s', (p, text) => {
    expect(formatUsedPercent(p)).toBe(text);
  });

  it.each([
    [10, 'ok'],
    [80, 'warning'],
    [99.99, 'warning'],
    [100, 'over'],
    [130, 'over'],
  ] as const)('%d %% is %s', (p, level) => {
    expect(budgetLevel(p)).toBe(level);
  });

  it.each([
    [
      { limitUsd: '100', spentUsd: '25', reservedUsd: '10' },
      { spent: 25, reserved: 10, remaining: 65 },
    ],
    [
      { limitUsd: '100', spentUsd: '95', reservedUsd: '10' },
      { spent: 95, reserved: 5, remaining: 0 },
    ],
    [
      { limitUsd: '100', spentUsd: '120', reservedUsd: '0' },
      { spent: 100, reserved: 0, remaining: 0 },
    ],
    [
      { limitUsd: '0.003', spentUsd: '0.003', reservedUsd: '0' },
      { spent: 100, reserved: 0, remaining: 0 },
    ],
    [
      { limitUsd: '3', spentUsd: '1', reservedUsd: '0' },
      { spent: 33.33, reserved: 0, remaining: 66.67 },
    ],
  ])('bar of %j', (figures, shares) => {
    const got = barShares(figures);
    expect(got.spent).toBeCloseTo(shares.spent, 2);
    expect(got.reserved).toBeCloseTo(shares.reserved, 2);
    expect(got.remaining).toBeCloseTo(shares.remaining, 2);
  });

  it('says when a period resets in the org’s time zone', () => {
    expect(resetText('2026-12-31T23:00:00.000Z', 'Europe/Paris')).toBe('Resets Jan 1, 2027, 00:00 Europe/Paris');
    expect(resetText('2026-12-31T23:00:00.000Z', 'UTC')).toBe('Resets Dec 31, 2026, 23:00 UTC');
    expect(resetText(null, 'UTC')).toBe('Never resets');
    expect(resetText('2026-12-31T23:00:00.000Z', 'Not/AZone')).toBe('Resets Dec 31, 2026, 23:00 UTC');
  });

  it('picks the tightest budget, the monthly on a tie', () => {
    const budgets = [
      { period: 'DAILY' as const, usedPercent: 40 },
      { period: 'MONTHLY' as const, usedPercent: 40 },
      { period: 'TOTAL' as const, usedPercent: 12 },
    ];
    expect(tightestBudget(budgets)?.period).toBe('MONTHLY');
    expect(tightestBudget([...budgets, { period: 'WEEKLY' as const, usedPercent: 90 }])?.period).toBe('WEEKLY');
    expect(tightestBudget([])).toBeUndefined();
    expect(sortedBudgets(budgets).map((b) => b.period)).toEqual(['DAILY', 'MONTHLY', 'TOTAL']);
  });
});
