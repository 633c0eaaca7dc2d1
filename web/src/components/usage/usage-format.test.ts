// Costs keep enough decimals to show a single request's cost; counts get thousands separators.
import { describe, expect, it } from 'vitest';
import {
  bucketLabel,
  formatCompact,
  formatCost,
  formatCostAxis,
  formatCount,
  formatPercent,
  formatWindow,
} from './usage-format';

describe('usage number formats', () => {
  it('costs: cents from a dollar up, 4 decimals from a cent, 6 below, never a misleading zero', () => {
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(1234.5678)).toBe('$1,234.57');
    expect(formatCost(1)).toBe('$1.00');
    expect(formatCost(0.5)).toBe('$0.50');
    expect(formatCost(0.01234)).toBe('$0.0123');
    expect(formatCost(0.000123)).toBe('$0.000123');
    expect(formatCost(0.0000125)).toBe('$0.000013');
    expect(formatCost(0.00000004)).toBe('< $0.000001');
  });

  it('counts: whole numbers with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12_000_000_000)).toBe('12,000,000,000');
  });

  it('axes: compact', () => {
    expect(formatCompact(1500)).toBe('1.5K');
    expect(formatCompact(2_000_000)).toBe('2M');
    expect(formatCostAxis(2500)).toBe('$2.5K');
    expect(formatCostAxis(0.05)).toBe('$0.05');
  });

  it('percentages: one decimal below 10 %, none above, and a floor for tiny shares', () => {
    expect(formatPercent(1, 4)).toBe('25 %');
    expect(formatPercent(1, 3)).toBe('33 %');
    expect(formatPercent(1, 40)).toBe('2.5 %');
    expect(formatPercent(1, 10_000)).toBe('< 0.1 %');
    expect(formatPercent(0, 10)).toBe('0 %');
    expect(formatPercent(1, 0)).toBe('—');
  });

  it('bucket labels: hours in the given zone, days and months as UTC dates', () => {
    expect(bucketLabel('2026-11-10T14:00:00.000Z', 'HOUR', 'UTC')).toBe('Nov 10, 14:00');
    expect(bucketLabel('2026-11-10T14:00:00.000Z', 'HOUR', 'Asia/Kolkata')).toBe('Nov 10, 19:30');
    expect(bucketLabel('2026-11-10T00:00:00.000Z', 'DAY')).toBe('Nov 10');
    expect(bucketLabel('2026-11-01T00:00:00.000Z', 'MONTH')).toBe('Nov 2026');
  });

  it('windows read in UTC, as the API counts them', () => {
    expect(formatWindow('2026-11-29T00:00:00.000Z', '2026-12-05T15:00:00.000Z')).toBe(
      'Nov 29, 2026, 00:00 – Dec 5, 2026, 15:00 UTC',
    );
  });
});
