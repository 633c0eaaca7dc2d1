// Billing form rules (the API's bounds), the periods an export offers, and how settings and windows read.
import { describe, expect, it } from 'vitest';
import {
  anchorDayError,
  currencyError,
  currencyLabel,
  decimals,
  exchangeRateError,
  exportRangeError,
  exportSummary,
  markupError,
  markupLabel,
  recentPeriods,
  utcDayWindow,
} from './billing-rules';

describe('billing rules', () => {
  it('bounds the markup as the API does', () => {
    expect(markupError(null)).toMatch(/Enter a markup/);
    expect(markupError(-100)).toBeUndefined();
    expect(markupError(1000)).toBeUndefined();
    expect(markupError(-100.5)).toMatch(/-100 % to 1000 %/);
    expect(markupError(12.34567)).toMatch(/4 decimals/);
    expect(decimals(1e-7)).toBe(7);
  });

  it('checks currencies and their rates', () => {
    expect(currencyError('eur')).toMatch(/ISO 4217/);
    expect(currencyError('EUR')).toBeUndefined();
    expect(exchangeRateError(0, 'EUR')).toMatch(/greater than 0/);
    expect(exchangeRateError(0.92, 'EUR')).toBeUndefined();
    expect(exchangeRateError(0.92, 'USD')).toMatch(/always 1/);
    expect(anchorDayError(29)).toMatch(/1 to 28/);
    expect(anchorDayError(15)).toBeUndefined();
  });

  it('lists the period in progress first, then complete ones, from the anchor day', () => {
    const now = new Date(Date.UTC(2026, 10, 10, 12)); // 10 November 2026
    const periods = recentPeriods(15, now, 3);
    expect(periods.map((p) => [p.value, p.complete])).toEqual([
      ['2026-10', false],
      ['2026-09', true],
      ['2026-08', true],
    ]);
    expect(periods[0]?.label).toMatch(/in progress/);
    expect(recentPeriods(1, now, 1)[0]?.value).toBe('2026-11');
  });

  it('reads settings and totals the way the list shows them', () => {
    expect(markupLabel(20)).toBe('+20 %');
    expect(markupLabel(-10)).toBe('−10 % (discount)');
    expect(markupLabel(0)).toBe('0 %');
    expect(currencyLabel('USD', 1)).toBe('USD');
    expect(currencyLabel('EUR', 0.92)).toBe('EUR, 0.92 per USD');
    expect(exportSummary({ lineCount: 1, totalBilledAmount: '1.20', currency: 'EUR', totalProviderCostUsd: '1' })).toBe(
      '1.20 EUR billed for 1 line (provider cost 1 USD)',
    );
  });

  it('turns picked days into a UTC window with the last day included', () => {
    const start = new Date(2026, 10, 1).getTime(); // local midnights, as the picker gives them
    const end = new Date(2026, 10, 30).getTime();
    expect(utcDayWindow([start, end])).toEqual({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
    expect(exportRangeError([start, end])).toBeUndefined();
    expect(exportRangeError(null)).toMatch(/first and last day/);
    expect(exportRangeError([new Date(2025, 0, 1).getTime(), new Date(2026, 0, 1).getTime()])).toBeUndefined();
    expect(exportRangeError([new Date(2025, 0, 1).getTime(), new Date(2026, 0, 2).getTime()])).toMatch(/366 days/);
  });
});
