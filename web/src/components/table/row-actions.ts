// Small buttons in a table row's "Actions" cell, each with a data-test handle for browser tests.
import { NButton, NSpace } from 'naive-ui';
import { h, type VNode } from 'vue';
import type { LifecycleAction } from '../../composables/use-lifecycle-actions';

export interface RowAction {
  label: string;
  test: string;
  onClick: () => void;
  /** Red outline for destructive actions (delete, revoke, remove). */
  danger?: boolean;
}

export function rowActions(actions: RowAction[]): VNode {
  return h(NSpace, { size: 6, wrap: false }, () =>
    actions.map((a) =>
      h(
        NButton,
        {
          size: 'small',
          type: a.danger ? 'error' : 'default',
          ghost: a.danger,
          'data-test': a.test,
          onClick: a.onClick,
        },
        { default: () => a.label },
      ),
    ),
  );
}

/** Suspend or Reactivate (by status), then Delete; `test` names each, % standing for the action ("team-%"). */
export function lifecycleRowActions(status: string, test: string, act: (action: LifecycleAction) => void): RowAction[] {
  const action = (label: string, a: LifecycleAction): RowAction => ({
    label,
    test: test.replace('%', a),
    danger: a === 'delete',
    onClick: () => act(a),
  });
  return [
    status === 'ACTIVE' ? action('Suspend', 'suspend') : action('Reactivate', 'reactivate'),
    action('Delete', 'delete'),
  ];
}
