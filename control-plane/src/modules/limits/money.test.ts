// Nano-dollars <-> decimal USD strings are exact both ways; budgets are refused with a reason when out of bounds.
import { describe, expect, it } from 'vitest';
import { budgetProblem, costFactorPpm, nanoToUsd, usdToNano } from './money.ts';

describe('money', () => {
  it.each([
    ['12.5', 12_500_000_000n],
    ['0.000000001', 1n],
    ['9000000', 9_000_000_000_000_000n],
    ['1.123456789', 1_123_456_789n],
    ['007', 7_000_000_000n],
  ])('reads %s USD as %s nano-dollars', (usd, nano) => {
    expect(usdToNano(usd)).toBe(nano);
  });

  it.each(['', '1.', '.5', '-1', '1e3', ' 1', '1.0000000001', 'NaN', '1,5'])('refuses %j', (usd) => {
    expect(usdToNano(usd)).toBeNull();
  });

  it.each([
    [12_500_000_000n, '12.5'],
    [1n, '0.000000001'],
    [0n, '0'],
    [-1_500_000_000n, '-1.5'],
    [9_000_000_000_000_000n, '9000000'],
  ])('writes %s nano-dollars as %s', (nano, usd) => {
    expect(nanoToUsd(nano)).toBe(usd);
  });

  it('round-trips every budget string exactly', () => {
    for (const usd of ['0.1', '0.2', '0.3', '1234567.891011121', '8999999.999999999']) {
      expect(nanoToUsd(usdToNano(usd) ?? -1n)).toBe(usd);
    }
  });

  it('checks budget bounds', () => {
    expect(budgetProblem('0')).toMatch(/greater than 0/);
    expect(budgetProblem('9000000.000000001')).toMatch(/at most 9000000/);
    expect(budgetProblem('1.5')).toBeNull();
    expect(budgetProblem('abc')).toMatch(/decimal/);
  });

  it('derives the cost factor from the basis and markup', () => {
    expect(costFactorPpm('provider_cost', '20')).toBe(1_000_000);
    expect(costFactorPpm('billed_cost', '20')).toBe(1_200_000);
    expect(costFactorPpm('billed_cost', '12.3456')).toBe(1_123_456);
    expect(costFactorPpm('billed_cost', '-100')).toBe(0);
  });
});
