// What the budget views show of a scope's limits: names of periods and scopes, the share of a budget spent,
// reserved (held by data planes for requests in flight) and left, the period's reset in the org's time zone, and
// the one budget that sums a scope up in a list (the tightest).
import type { BudgetPeriod, LimitScope } from '../../graphql/generated/graphql';
import { toNano } from './budget-money';

export const periodLabels: Record<BudgetPeriod, string> = {
  DAILY: 'Daily',
  WEEKLY: 'Weekly',
  MONTHLY: 'Monthly',
  TOTAL: 'Total',
};

export const scopeLabels: Record<LimitScope, string> = {
  ORG: 'Organization',
  TEAM: 'Team',
  USER: 'User',
  KEY: 'Key',
  MODULE: 'Module',
};

/** Scopes in the order the budgets page lists them: the org first, then from the widest down. */
export const scopeOrder: readonly LimitScope[] = ['ORG', 'TEAM', 'USER', 'KEY', 'MODULE'];

export interface BudgetFigures {
  period: BudgetPeriod;
  limitUsd: string;
  spentUsd: string;
  reservedUsd: string;
  remainingUsd: string;
  usedPercent: number;
  resetsAt: string | null;
}

/** How full a budget is: "ok" below the warning line, "warning" from it, "over" once spent (100 % or more). */
export type BudgetLevel = 'ok' | 'warning' | 'over';

export function budgetLevel(usedPercent: number, warningPercent = 80): BudgetLevel {
  if (usedPercent >= 100) return 'over';
  return usedPercent >= warningPercent ? 'warning' : 'ok';
}

/** "42 %", "99.5 %", "100 %", "< 0.1 %": one decimal below 10 % and close to the top, where it matters. */
export function formatUsedPercent(p: number): string {
  if (!Number.isFinite(p) || p <= 0) return '0 %';
  if (p < 0.1) return '< 0.1 %';
  if (p >= 99 && p < 100) return `${(Math.floor(p * 10) / 10).toFixed(1)} %`;
  return `${p < 10 ? p.toFixed(1) : Math.floor(p).toString()} %`;
}

/**
 * The bar's parts as shares of the budget (0-100 each, adding up to at most 100): what is spent, what data planes
 * hold for requests in flight, and what is left. Exact arithmetic on nano-dollars, so a spent budget reads 100.
 */
export function barShares(b: Pick<BudgetFigures, 'limitUsd' | 'spentUsd' | 'reservedUsd'>): {
  spent: number;
  reserved: number;
  remaining: number;
} {
  const limit = toNano(b.limitUsd) ?? 0n;
  if (limit <= 0n) return { spent: 0, reserved: 0, remaining: 0 };
  const cap = (n: bigint) => (n < 0n ? 0n : n > limit ? limit : n);
  const spent = cap(toNano(b.spentUsd) ?? 0n);
  const reserved = cap((toNano(b.reservedUsd) ?? 0n) + spent) - spent;
  const share = (n: bigint) => Number((n * 10_000n) / limit) / 100;
  const spentShare = share(spent);
  const reservedShare = share(reserved);
  return { spent: spentShare, reserved: reservedShare, remaining: Math.max(0, 100 - spentShare - reservedShare) };
}

/**
 * "Resets Jan 1, 2027, 00:00 Europe/Paris" in the org's time zone (budgets reset on its calendar), "Never resets"
 * for the total budget.
 */
export function resetText(resetsAt: string | null, timeZone: string): string {
  if (!resetsAt) return 'Never resets';
  const date = new Date(resetsAt);
  if (Number.isNaN(date.getTime())) return 'Never resets';
  let formatted: string;
  try {
    formatted = new Intl.DateTimeFormat('en-US', {
      dateStyle: 'medium',
      timeStyle: 'short',
      hourCycle: 'h23',
      timeZone,
    }).format(date);
  } catch {
    // An unknown zone (an older browser's list): the instant in UTC, said so.
    return `Resets ${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23', timeZone: 'UTC' }).format(date)} UTC`;
  }
  return `Resets ${formatted} ${timeZone}`;
}

/** The budget that sums a scope up: the most used one; on a tie the monthly, then the shorter period. */
export function tightestBudget<B extends Pick<BudgetFigures, 'period' | 'usedPercent'>>(
  budgets: readonly B[],
): B | undefined {
  const rank: Record<BudgetPeriod, number> = { MONTHLY: 0, DAILY: 1, WEEKLY: 2, TOTAL: 3 };
  return [...budgets].sort((a, b) => b.usedPercent - a.usedPercent || rank[a.period] - rank[b.period])[0];
}

/** Budgets in period order (daily, weekly, monthly, total). */
export function sortedBudgets<B extends { period: BudgetPeriod }>(budgets: readonly B[]): B[] {
  const order: BudgetPeriod[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'TOTAL'];
  return [...budgets].sort((a, b) => order.indexOf(a.period) - order.indexOf(b.period));
}
