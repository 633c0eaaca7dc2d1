import { describe, expect, it } from 'vitest';
import { canonicalUsd, formatUsd, toNano } from './budget-money';

describe('budget amounts', () => {
  it.each([
    ['12.5', 12_500_000_000n],
    ['0.000000001', 1n],
    ['9000000', 9_000_000_000_000_000n],
    [' 3 ', 3_000_000_000n],
    ['0', 0n],
  ])('%s is %s nano-dollars', (value, nano) => {
    expect(toNano(value)).toBe(nano);
  });

  it.each(['', '1.0000000001', '-1', '1e3', '1,5', '3.', '.5', 'abc'])('%j is not an amount', (value) => {
    expect(toNano(value)).toBeNull();
  });

  it.each([
    ['010.50', '10.5'],
    ['100.000000000', '100'],
    ['0.000000001', '0.000000001'],
    ['7', '7'],
  ])('%s is sent as %s', (value, canonical) => {
    expect(canonicalUsd(value)).toBe(canonical);
  });

  it.each([
    ['100', '$100.00'],
    ['1234.5', '$1,234.50'],
    ['0.0123', '$0.0123'],
    ['0.000123', '$0.000123'],
    ['0', '$0.00'],
    ['', '—'],
    ['x', '—'],
  ])('%j reads %s', (value, text) => {
    expect(formatUsd(value)).toBe(text);
  });
});
