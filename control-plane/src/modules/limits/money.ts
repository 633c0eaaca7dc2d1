// Money as the ledger counts it (whole nano-dollars) and as the API shows it (exact decimal USD strings).
import { maxBudgetUsd, nanoPerUsd } from '@gw/schema';

const nanoDigits = 9;
const decimalUsd = /^(\d{1,16})(?:\.(\d{1,9}))?$/;

/** Nano-dollars of a decimal USD string ("12.5" -> 12_500_000_000n); null when it is not such a string. */
export function usdToNano(usd: string): bigint | null {
  const m = decimalUsd.exec(usd);
  if (!m) return null;
  return BigInt(m[1]) * BigInt(nanoPerUsd) + BigInt((m[2] ?? '').padEnd(nanoDigits, '0'));
}

/** The shortest exact decimal USD string of an amount of nano-dollars (12_500_000_000n -> "12.5"). */
export function nanoToUsd(nano: bigint | number): string {
  const n = BigInt(nano);
  const sign = n < 0n ? '-' : '';
  const abs = n < 0n ? -n : n;
  const whole = abs / BigInt(nanoPerUsd);
  const fraction = (abs % BigInt(nanoPerUsd)).toString().padStart(nanoDigits, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** The largest budget, nano-dollars (what fits a JavaScript number exactly on both planes). */
export const maxBudgetNano = BigInt(maxBudgetUsd) * BigInt(nanoPerUsd);

/** Why a budget string is refused, or null when it is a valid budget (> 0, at most 9 decimals, at most the max). */
export function budgetProblem(usd: string): string | null {
  const nano = usdToNano(usd);
  if (nano === null) return 'must be a decimal amount of USD such as "12.5", with at most 9 decimals';
  if (nano <= 0n) return 'must be greater than 0';
  if (nano > maxBudgetNano) return `must be at most ${maxBudgetUsd}`;
  return null;
}

/**
 * What provider cost is multiplied by before it counts against budgets, in millionths: 1_000_000 under the provider
 * cost basis, else 1 + the org's markup (percent, at most 4 decimals, so the product is an exact integer).
 */
export function costFactorPpm(basis: 'provider_cost' | 'billed_cost', markupPercent: string | number): number {
  if (basis === 'provider_cost') return 1_000_000;
  return Math.max(0, Math.round(1_000_000 + Number(markupPercent) * 10_000));
}
