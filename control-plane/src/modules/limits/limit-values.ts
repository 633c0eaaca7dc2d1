// A LimitsInput checked and converted: budgets in nano-dollars, rates, alert thresholds; failures name the input path.
import { type BudgetPeriod, budgetPeriods } from '@gw/schema';
import { badInput } from '../../errors.ts';
import type { LimitsInput } from './limits.input.ts';
import { budgetProblem, nanoToUsd, usdToNano } from './money.ts';

export interface LimitValues {
  /** Nano-dollars per period; a period left out has no budget. */
  budgets: Partial<Record<BudgetPeriod, bigint>>;
  rpm: number | null;
  tpm: number | null;
  alertThresholds: number[];
}

export const defaultAlertThresholds = [50, 80, 100];

/** `field` is the path of the LimitsInput itself, e.g. `input` or `input.limits`. */
export function parseLimits(field: string, input: LimitsInput): LimitValues {
  const budgets: LimitValues['budgets'] = {};
  for (const period of budgetPeriods) {
    const value = input.budgets?.[period];
    if (value === null || value === undefined) continue;
    const problem = budgetProblem(value);
    if (problem) throw badInput(`${field}.budgets.${period}`, `The ${period} budget ${problem}`);
    budgets[period] = usdToNano(value) as bigint;
  }
  const rate = (name: 'rpm' | 'tpm'): number | null => {
    const v = input[name];
    if (v === null || v === undefined) return null;
    if (!Number.isInteger(v) || v <= 0) throw badInput(`${field}.${name}`, `${name} must be a whole number above 0`);
    return v;
  };
  const rpm = rate('rpm');
  const tpm = rate('tpm');
  if (!Object.keys(budgets).length && rpm === null && tpm === null) {
    throw badInput(field, 'Give at least one budget, rpm or tpm (removeLimits clears a scope)');
  }
  const thresholds = input.alertThresholds ?? defaultAlertThresholds;
  thresholds.forEach((t, i) => {
    if (!Number.isInteger(t) || t < 1 || t > 100) {
      throw badInput(`${field}.alertThresholds.${i}`, 'alert thresholds must be whole percentages from 1 to 100');
    }
    if (thresholds.indexOf(t) !== i)
      throw badInput(`${field}.alertThresholds.${i}`, `alert threshold ${t} is repeated`);
  });
  return { budgets, rpm, tpm, alertThresholds: [...thresholds].sort((a, b) => a - b) };
}

/** The audited view of a scope's limits (decimal USD). */
export function valuesView(v: LimitValues) {
  return {
    budgets: Object.fromEntries(Object.entries(v.budgets).map(([p, n]) => [p, nanoToUsd(n)])),
    rpm: v.rpm,
    tpm: v.tpm,
    alertThresholds: v.alertThresholds,
  };
}
