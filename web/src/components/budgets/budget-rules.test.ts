import { describe, expect, it } from 'vitest';
import {
  budgetError,
  emptyLimitsForm,
  isEmptyLimits,
  limitsFormValues,
  limitsInput,
  limitsServerField,
  mayEditScope,
  parseThresholds,
  rateError,
  thresholdsError,
} from './budget-rules';

describe('limits form rules', () => {
  it.each([
    ['', undefined, undefined],
    ['100', undefined, undefined],
    ['0.000000001', undefined, undefined],
    ['9000000', undefined, undefined],
    ['0', undefined, 'more than $0'],
    ['0.0000000001', undefined, 'at most 9 decimals'],
    ['9000000.000000001', undefined, 'at most $9,000,000'],
    ['-5', undefined, 'amount in USD'],
    ['ten', undefined, 'amount in USD'],
    ['50', '50', undefined],
    ['50.000000001', '50', 'organization’s budget for this period ($50.00)'],
    ['500', null, undefined],
  ])('budget %j under an org budget of %j: %s', (value, orgLimit, message) => {
    const error = budgetError(value, orgLimit);
    if (message === undefined) expect(error).toBeUndefined();
    else expect(error).toContain(message);
  });

  it.each([
    ['', undefined],
    ['600', undefined],
    ['2147483647', undefined],
    ['0', 'at least 1'],
    ['1.5', 'whole number'],
    ['-3', 'whole number'],
    ['2147483648', 'at most'],
  ])('rate %j: %s', (value, message) => {
    const error = rateError(value);
    if (message === undefined) expect(error).toBeUndefined();
    else expect(error).toContain(message);
  });

  it.each([
    ['', []],
    ['50, 80, 100', [50, 80, 100]],
    ['80%;90 %', [80, 90]],
    ['80% 90%', [80, 90]],
    ['50, x', null],
  ])('thresholds %j parse as %j', (value, list) => {
    expect(parseThresholds(value)).toEqual(list);
  });

  it.each([
    ['50, 80, 100', undefined],
    ['', undefined],
    ['0, 50', 'from 1 to 100'],
    ['101', 'from 1 to 100'],
    ['80, 80', 'once'],
    ['half', 'whole percentages'],
  ])('thresholds %j: %s', (value, message) => {
    const error = thresholdsError(value);
    if (message === undefined) expect(error).toBeUndefined();
    else expect(error).toContain(message);
  });
});

describe('limits form values', () => {
  const limits = {
    rpm: 600,
    tpm: null,
    alertThresholds: [80, 100],
    budgets: [
      { period: 'MONTHLY' as const, limitUsd: '250.000000000' },
      { period: 'DAILY' as const, limitUsd: '12.5' },
    ],
  };

  it('fills the form from the current limits', () => {
    expect(limitsFormValues(limits)).toEqual({
      ...emptyLimitsForm,
      daily: '12.5',
      monthly: '250',
      rpm: '600',
      alertThresholds: '80, 100',
    });
    expect(limitsFormValues(null)).toEqual({ ...emptyLimitsForm, alertThresholds: '50, 80, 100' });
  });

  it('sends the whole set: empty periods as none, thresholds sorted', () => {
    expect(limitsInput({ ...emptyLimitsForm, weekly: ' 070.50 ', tpm: '10000', alertThresholds: '100, 50' })).toEqual({
      budgets: { daily: null, weekly: '70.5', monthly: null, total: null },
      rpm: null,
      tpm: 10000,
      alertThresholds: [50, 100],
    });
  });

  it('knows an empty form', () => {
    expect(isEmptyLimits(emptyLimitsForm)).toBe(true);
    expect(isEmptyLimits({ ...emptyLimitsForm, alertThresholds: '50' })).toBe(true);
    expect(isEmptyLimits({ ...emptyLimitsForm, rpm: '5' })).toBe(false);
  });

  it.each([
    ['input.budgets.monthly', 'monthly'],
    ['input.budgets.total', 'total'],
    ['input.alertThresholds.2', 'alertThresholds'],
    ['input.rpm', 'rpm'],
    ['input.tpm', 'tpm'],
    ['input.budgets', '_form'],
    ['scope', '_form'],
    [undefined, '_form'],
  ])('a server error on %j shows on %s', (path, field) => {
    expect(limitsServerField(path)).toBe(field);
  });

  it.each([
    ['ORG', { canWrite: true, isPlatform: true }, true],
    ['ORG', { canWrite: true, isPlatform: false }, false],
    ['TEAM', { canWrite: true, isPlatform: false }, true],
    ['USER', { canWrite: false, isPlatform: false }, false],
  ] as const)('%s editable for %j: %s', (scope, access, editable) => {
    expect(mayEditScope(scope, access)).toBe(editable);
  });
});
