// A table cell summing up a scope's budgets: the tightest one's share used, its period and amount ("42 % of
// $100.00 monthly"), coloured once it nears or reaches its limit; a muted dash when there is none.
import { h, type VNode } from 'vue';
import { noneCell } from '../table/cells';
import { formatUsd } from './budget-money';
import { type BudgetFigures, budgetLevel, formatUsedPercent, periodLabels, tightestBudget } from './budget-view';

type Summary = Pick<BudgetFigures, 'period' | 'limitUsd' | 'usedPercent'>;

export function budgetCell(budgets: readonly Summary[] | null | undefined): VNode {
  const b = tightestBudget(budgets ?? []);
  if (!b) return noneCell('No budget');
  const level = budgetLevel(b.usedPercent);
  return h(
    'span',
    { class: ['budget-cell', `budget-cell--${level}`], 'data-test': 'budget-cell', 'data-percent': b.usedPercent },
    [
      h('strong', { class: 'num' }, formatUsedPercent(b.usedPercent)),
      ` of ${formatUsd(b.limitUsd)} ${periodLabels[b.period].toLowerCase()}`,
    ],
  );
}
