// Client rules of the limits form, the same as the control plane's: budgets are decimal USD above 0 with at most 9
// decimals and at most $9,000,000; below the org level a budget may not exceed the org's budget of the same period;
// rpm and tpm are whole numbers above 0; alert thresholds are whole percentages. The server checks again and names
// the input field it refuses (extensions.field), which lands on the same field of the form.
import type { BudgetPeriod, LimitScope, LimitsInput } from '../../graphql/generated/graphql';
import { canonicalUsd, formatUsd, maxBudgetUsd, toNano } from './budget-money';

export const periods: readonly BudgetPeriod[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'TOTAL'];
export const periodField = { DAILY: 'daily', WEEKLY: 'weekly', MONTHLY: 'monthly', TOTAL: 'total' } as const;
export type PeriodField = (typeof periodField)[BudgetPeriod];

/** The limits form: one text per period (empty = no budget), rpm, tpm, thresholds as "50, 80, 100". */
export interface LimitsFormValues extends Record<string, string> {
  daily: string;
  weekly: string;
  monthly: string;
  total: string;
  rpm: string;
  tpm: string;
  alertThresholds: string;
}

export const emptyLimitsForm: LimitsFormValues = {
  daily: '',
  weekly: '',
  monthly: '',
  total: '',
  rpm: '',
  tpm: '',
  alertThresholds: '',
};

/** Largest rpm or tpm: a GraphQL Int. */
export const maxRate = 2_147_483_647;
/** Alert thresholds are percentages of a budget in 1-100. */
export const maxThreshold = 100;
/** What the server gives a scope that is set without thresholds; a new scope's form starts with them. */
export const defaultThresholds = '50, 80, 100';

/** A budget amount; empty means no budget for the period. `orgLimit` is the org's budget of that period, if any. */
export function budgetError(value: string, orgLimit?: string | null): string | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const nano = toNano(text);
  if (nano === null) return 'Enter an amount in USD such as 250 or 12.50 (at most 9 decimals).';
  if (nano <= 0n) return 'A budget must be more than $0; leave it empty for none.';
  if (nano > BigInt(maxBudgetUsd) * 1_000_000_000n)
    return `A budget can be at most ${formatUsd(String(maxBudgetUsd))}.`;
  const orgNano = orgLimit ? toNano(orgLimit) : null;
  if (orgNano !== null && nano > orgNano)
    return `At most the organization’s budget for this period (${formatUsd(orgLimit ?? '')}).`;
  return undefined;
}

/** Requests or tokens per minute; empty means none. */
export function rateError(value: string): string | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  if (!/^\d+$/.test(text)) return 'Enter a whole number, e.g. 600.';
  const n = Number(text);
  if (n < 1) return 'Must be at least 1; leave it empty for no limit.';
  if (n > maxRate) return `Must be at most ${maxRate.toLocaleString('en-US')}.`;
  return undefined;
}

/** "50, 80, 100" -> [50, 80, 100]; null when an entry is not a whole number. */
export function parseThresholds(value: string): number[] | null {
  const parts = value
    .split(/[\s,;]+/)
    .map((p) => p.replace(/%$/, ''))
    .filter((p) => p !== '');
  if (!parts.every((p) => /^\d+$/.test(p))) return null;
  return parts.map(Number);
}

export function thresholdsError(value: string): string | undefined {
  const list = parseThresholds(value);
  if (list === null) return 'Enter whole percentages separated by commas, e.g. 50, 80, 100.';
  if (list.some((n) => n < 1 || n > maxThreshold)) return `Each threshold is a percentage from 1 to ${maxThreshold}.`;
  if (new Set(list).size !== list.length) return 'Each threshold once.';
  return undefined;
}

/** The form's values from a scope's current limits; for a scope without any, no limit and the default alerts. */
export function limitsFormValues(
  limits:
    | {
        rpm: number | null;
        tpm: number | null;
        alertThresholds: readonly number[];
        budgets: readonly { period: BudgetPeriod; limitUsd: string }[];
      }
    | null
    | undefined,
): LimitsFormValues {
  const values = { ...emptyLimitsForm };
  if (!limits) return { ...values, alertThresholds: defaultThresholds };
  for (const b of limits.budgets) values[periodField[b.period]] = canonicalUsd(b.limitUsd);
  values.rpm = limits.rpm === null ? '' : String(limits.rpm);
  values.tpm = limits.tpm === null ? '' : String(limits.tpm);
  values.alertThresholds = limits.alertThresholds.join(', ');
  return values;
}

/** What setLimits gets: the scope's whole set (a period left empty has no budget). Call after the rules passed. */
export function limitsInput(values: LimitsFormValues): LimitsInput {
  const amount = (v: string) => (v.trim() === '' ? null : canonicalUsd(v));
  const rate = (v: string) => (v.trim() === '' ? null : Number(v.trim()));
  const thresholds = parseThresholds(values.alertThresholds) ?? [];
  return {
    budgets: {
      daily: amount(values.daily),
      weekly: amount(values.weekly),
      monthly: amount(values.monthly),
      total: amount(values.total),
    },
    rpm: rate(values.rpm),
    tpm: rate(values.tpm),
    alertThresholds: [...thresholds].sort((a, b) => a - b),
  };
}

/**
 * True when the form sets no budget, rpm or tpm (thresholds alone limit nothing): the server refuses such a set,
 * so saving it means removing the scope's limits.
 */
export function isEmptyLimits(values: LimitsFormValues): boolean {
  return [values.daily, values.weekly, values.monthly, values.total, values.rpm, values.tpm].every(
    (v) => v.trim() === '',
  );
}

/**
 * The form field a server error belongs to, from its whole path: `input.budgets.monthly` -> `monthly`,
 * `input.alertThresholds.2` -> `alertThresholds`, `input.rpm` -> `rpm`; anything else above the form.
 */
export function limitsServerField(path: string | undefined): PeriodField | 'rpm' | 'tpm' | 'alertThresholds' | '_form' {
  const segments = (path ?? '').split('.').filter((s) => s !== '');
  if (segments[0] === 'input') segments.shift();
  const [first, second] = segments;
  if (first === 'budgets' && second && (Object.values(periodField) as string[]).includes(second)) {
    return second as PeriodField;
  }
  if (first === 'rpm' || first === 'tpm' || first === 'alertThresholds') return first;
  return '_form';
}

/** Whether the signed-in admin may change limits of this scope: the org level is the platform's to set. */
export function mayEditScope(scope: LimitScope, access: { canWrite: boolean; isPlatform: boolean }): boolean {
  return access.canWrite && (scope !== 'ORG' || access.isPlatform);
}
