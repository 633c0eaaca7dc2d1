// Budget amounts as the API sends and takes them: decimal USD strings with at most 9 decimals (whole nano-dollars,
// the unit both planes count in), compared exactly as nano-dollar integers and formatted for reading.
import { formatCost } from '../usage/usage-format';

/** The largest budget the gateway accepts, in USD (schema/src/contract/limits.ts, maxBudgetUsd). */
export const maxBudgetUsd = 9_000_000;

const decimal = /^(\d+)(?:\.(\d{1,9}))?$/;

/** "12.5" -> 12500000000n nano-dollars; null when it is not a plain decimal with at most 9 decimals. */
export function toNano(value: string): bigint | null {
  const m = decimal.exec(value.trim());
  if (!m) return null;
  return BigInt(m[1] as string) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** "$12.50", "$0.0123", "$0.000123": an amount of the API (a decimal string); "—" when it is not one. */
export function formatUsd(value: string): string {
  const n = Number(value);
  return value.trim() === '' || !Number.isFinite(n) ? '—' : formatCost(n);
}

/**
 * A budget as typed, made canonical for the API: "010.50" -> "10.5", "3." stays invalid (the caller validates
 * first). Trailing zeros go so an unchanged amount compares equal to what the API returned.
 */
export function canonicalUsd(value: string): string {
  const nano = toNano(value);
  if (nano === null) return value.trim();
  const whole = nano / 1_000_000_000n;
  const fraction = (nano % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
